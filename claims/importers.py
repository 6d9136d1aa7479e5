"""Importers that bring material from elsewhere, through the same services as every writer.

Each importer reads and checks everything first, then writes in one transaction: on any
error nothing from the run is written, and the error names the file and the line.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from claims import services
from claims.models import Claim, ImportedFrom, PendingRelation
from evidence.models import EvidenceItem, EvidenceKind, Relation
from evidence.services import evidence_create, evidence_link

EVENTS_NAMESPACE = uuid.UUID("2f0b9a8e-49f6-4c7b-9a2b-6c1c1f0e7d55")
SKIPPED_NAMES = {"index.md", "readme.md"}


class ImportError_(Exception):
    """A file that cannot be imported: `location` is "path:line"."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.location = f"{path}:{line}"


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.skipped} skipped"


# Current Events markdown --------------------------------------------------------------------

_DATE = re.compile(r"^### \[(\d{4}-\d{2}-\d{2})\]\((/news/[^)]*?/)index\.md\)\s*$")
_TOPIC = re.compile(r"^##### (.+?)\s*$")
_HEADLINE = re.compile(r"^# (.+?)\s*$")
_SECTION = re.compile(r"^### ([^\[].*?):?\s*$")
_ITEM = re.compile(r"^\d+\.\s+\[(.*?)\]\((.+?)\)\s*(?:_Context:\s*(.*?)_)?\s*$")


@dataclass
class Event:
    key: str  # the item's path in the news tree, e.g. /news/2014/11/12/slug.md
    file: Path
    date: datetime.date
    topic: str
    headline: str
    summary: str
    sources: list[tuple[str, str]]
    cover_images: list[str]
    related: list[tuple[str, list[str]]]  # (news path, contexts)

    @property
    def statement(self) -> str:
        text = self.headline.strip()
        return text if len(text) <= 500 else text[:499] + "…"

    @property
    def uuid(self) -> uuid.UUID:
        return event_uuid(self.date, self.statement)

    @property
    def tags(self) -> list[str]:
        seen: dict[str, str] = {}
        for _, contexts in self.related:
            for context in contexts:
                seen.setdefault(context.casefold(), context)
        return sorted(seen.values(), key=str.casefold)


def event_uuid(date: datetime.date, statement: str) -> uuid.UUID:
    """A news item's claim UUID: the same for the same event in any file, run or machine."""
    normal = " ".join(statement.split()).casefold()
    return uuid.uuid5(EVENTS_NAMESPACE, f"{date.isoformat()}|{normal}")


def fold_topics(events: list[Event]) -> None:
    """The portal publishes an event twice: "Topic. Headline" (or "Topic: Headline") and,
    with a topic line, plain "Headline". Where both are in the run, the prefixed one's
    statement loses its topic, so the two become one claim."""
    by_day: dict[datetime.date, set[str]] = {}
    for event in events:
        by_day.setdefault(event.date, set()).add(event.headline.strip())
    for event in events:
        headline = event.headline.strip()
        for other in by_day[event.date]:
            if len(other) < len(headline) and headline.endswith(other):
                prefix = headline[: -len(other)]
                if prefix.endswith((". ", ": ")) and len(prefix) > 2:
                    event.topic = event.topic or prefix[:-2]
                    event.headline = other
                    break


def parse_event(text: str, file: Path) -> Event | None:
    """One news item, or None for a file that is not one (it has no date line)."""
    lines = text.splitlines()
    date = key_dir = topic = headline = None
    summary: list[str] = []
    sources: list[tuple[str, str]] = []
    covers: list[str] = []
    related: list[tuple[str, list[str]]] = []
    section = "head"
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if match := _DATE.match(line):
            try:
                date = datetime.date.fromisoformat(match.group(1))
            except ValueError:
                raise ImportError_(file, number, f"“{match.group(1)}” is not a date") from None
            key_dir = match.group(2)
            section = "head"
            continue
        if date is None:
            continue  # anything before the date line ("Formats: ...") is navigation
        if section == "head" and (match := _TOPIC.match(line)):
            topic = match.group(1)
        elif section == "head" and (match := _HEADLINE.match(line)):
            headline = match.group(1)
            section = "summary"
        elif match := _SECTION.match(line):
            name = match.group(1).lower()
            section = {"source": "sources", "sources": "sources", "related": "related"}.get(
                name, "other"
            )
        elif section == "summary":
            if line.strip():
                summary.append(line.strip())
        elif section in ("sources", "related") and line.strip():
            item = _ITEM.match(line.strip())
            if item is None:
                raise ImportError_(
                    file, number, f"expected a numbered “[text](link)” entry, found “{line[:60]}”"
                )
            text_, link, contexts = item.groups()
            if section == "sources":
                if text_.strip().lower() == "cover image":
                    covers.append(link)
                else:
                    sources.append((text_.strip(), link.strip()))
            else:
                if not link.startswith("/news/"):
                    raise ImportError_(
                        file, number, f"a Related link must be a /news/ path: {link}"
                    )
                names = [c.strip() for c in (contexts or "").split(",") if c.strip()]
                related.append((link, names))
    if date is None:
        return None
    if not headline:
        raise ImportError_(file, len(lines), "no “# headline” line after the date line")
    return Event(
        key=f"{key_dir}{file.name}",
        file=file,
        date=date,
        topic=topic or "",
        headline=headline,
        summary="\n".join(summary),
        sources=sources,
        cover_images=covers,
        related=related,
    )


def event_files(paths: Iterable[Path]) -> list[Path]:
    """Markdown files named directly, or found in folders (recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise ImportError_(path, 0, "no such file or folder")
    return [p for p in found if p.name.lower() not in SKIPPED_NAMES]


def _apply_event(event: Event, user) -> str:
    """Create or update the claim of one news item; returns created, updated or skipped."""
    statement = event.statement
    known_file = ImportedFrom.objects.filter(key=event.key).select_related("claim").first()
    claim = known_file.claim if known_file else Claim.objects.filter(uuid=event.uuid).first()
    outcome = "skipped"
    if claim is None:
        claim = services.claim_create(
            uuid=event.uuid,
            statement=statement,
            details=event.summary,
            made_on=event.date,
            created_by=user,
            tags=event.tags,
        )
        outcome = "created"
    else:
        wanted = {"statement": statement, "made_on": event.date, "made_on_precision": "day"}
        if event.summary and not claim.details:
            wanted["details"] = event.summary
        changed = {k: v for k, v in wanted.items() if getattr(claim, k) != v}
        if changed:
            services.claim_update(claim=claim, data=changed, by=user)
            outcome = "updated"
        # Tags only grow: the union over every file of the event.
        have = {t.name.casefold() for t in claim.tags.all()}
        if any(tag.casefold() not in have for tag in event.tags):
            names = [t.name for t in claim.tags.all()] + event.tags
            services.claim_set_tags(claim=claim, names=names, by=user)
            outcome = "updated"
    known = set(claim.sources.values_list("url", flat=True))
    for outlet, url in event.sources:
        if url not in known:
            services.source_add(claim=claim, outlet=outlet, url=url, by=user)
            known.add(url)
            outcome = "updated" if outcome == "skipped" else outcome
    linked = set(EvidenceItem.objects.filter(links__claim=claim).values_list("url", flat=True))
    for url in event.cover_images:
        if url not in linked:
            # The picture is known by its address only: nothing is fetched.
            item = evidence_create(kind=EvidenceKind.PHOTO, title=f"Cover image: {statement}"[:300],
                                   url=url, created_by=user)  # fmt: skip
            evidence_link(claim=claim, evidence=item, relation=Relation.CONTEXT, created_by=user)
            outcome = "updated" if outcome == "skipped" else outcome
    ImportedFrom.objects.get_or_create(key=event.key, defaults={"claim": claim})
    for path, _ in event.related:
        PendingRelation.objects.get_or_create(claim=claim, target_key=path)
    return outcome


def resolve_pending(user) -> int:
    """Link every pending relation whose target has now been imported: a file path from
    import_events, or "uuid:<claim uuid>" from a restored dossier."""
    pending = list(PendingRelation.objects.select_related("claim"))
    keys = [p.target_key for p in pending]
    targets = {
        ref.key: ref.claim
        for ref in ImportedFrom.objects.filter(key__in=keys).select_related("claim")
    }
    uuids = [key.removeprefix("uuid:") for key in keys if key.startswith("uuid:")]
    targets |= {f"uuid:{claim.uuid}": claim for claim in Claim.objects.filter(uuid__in=uuids)}
    linked = 0
    for relation in pending:
        target = targets.get(relation.target_key)
        if target is None:
            continue
        if (
            target.pk != relation.claim_id
            and not relation.claim.related.filter(pk=target.pk).exists()
        ):
            services.claim_relate(claim=relation.claim, other=target, by=user)
            linked += 1
        PendingRelation.objects.filter(pk=relation.pk).delete()
    return linked


def import_events(
    paths: Iterable[Path], *, user, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Import Current Events news items; all or nothing."""
    files = event_files(paths)
    report = Report()
    events = []
    for file in files:  # every file is read and checked before anything is written
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ImportError_(file, text_line(file, error.start), "not UTF-8 text") from None
        event = parse_event(text, file)
        if event is None:
            report.skipped += 1
            report.notes.append(f"{file}: not a news item (no date line), skipped")
        else:
            events.append(event)
    fold_topics(events)
    with transaction.atomic():
        for number, event in enumerate(events, start=1):
            setattr(report, outcome := _apply_event(event, user), getattr(report, outcome) + 1)
            if progress:
                progress(number, len(events))
        resolve_pending(user)
    return report


def text_line(file: Path, offset: int) -> int:
    """The line of a byte offset, for error messages."""
    with open(file, "rb") as data:
        return data.read(offset).count(b"\n") + 1


# ClaimReview JSON-LD ------------------------------------------------------------------------

# Textual ratings read by their words, checked in this order: "mostly false" and "half
# true" must be caught before "false" and "true".
_RATING_WORDS = [
    (
        ("mostly false", "misleading", "disputed", "exaggerat", "half", "mixed", "partly"),
        "disputed",
    ),
    (("pants on fire", "false", "fake", "incorrect", "wrong", "hoax", "fabricated"), "refuted"),
    (("true", "correct", "accurate", "confirmed", "supported"), "supported"),
    (("unproven", "unverified", "no evidence", "unsupported"), "unverified"),
]


def verdict_from_rating(rating: dict) -> str:
    """Our verdict for a ClaimReview rating: by the words of its textual rating, else by the
    value's position between worst and best."""
    label = str(rating.get("alternateName") or rating.get("textualRating") or "").lower()
    for words, verdict in _RATING_WORDS:
        if any(word in label for word in words):
            return verdict
    try:
        value = float(rating["ratingValue"])
        best = float(rating.get("bestRating", 5))
        worst = float(rating.get("worstRating", 1))
        position = (value - worst) / (best - worst)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return "inconclusive"
    if position <= 0.2:
        return "refuted"
    if position <= 0.45:
        return "disputed"
    if position >= 0.75:
        return "supported"
    return "inconclusive"


@dataclass
class ReviewedClaim:
    source: str  # "file.json, entry 3"
    text: str
    claimant: str
    date: datetime.date | None
    review_url: str
    publisher: str
    textual_rating: str
    verdict: str
    appearances: list[str]


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _name(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    if isinstance(value, list) and value:
        return _name(value[0])
    return str(value or "").strip()


def _urls(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    urls = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else item
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            urls.append(url)
    return urls


def _from_json_ld(review: dict, where: str) -> ReviewedClaim:
    if review.get("@type") != "ClaimReview":
        raise ValueError("not a ClaimReview")
    text = str(review.get("claimReviewed") or "").strip()
    if not text:
        raise ValueError("ClaimReview has no claimReviewed")
    item = review.get("itemReviewed") or {}
    rating = review.get("reviewRating") or {}
    appearances = _urls(item.get("appearance")) + _urls(item.get("firstAppearance"))
    return ReviewedClaim(
        source=where,
        text=text,
        claimant=_name(item.get("author")),
        date=_date(item.get("datePublished")),
        review_url=str(review.get("url") or ""),
        publisher=_name(review.get("author")) or "Fact-check",
        textual_rating=str(rating.get("alternateName") or ""),
        verdict=verdict_from_rating(rating),
        appearances=list(dict.fromkeys(appearances)),
    )


def _from_search_api(claim: dict, review: dict, where: str) -> ReviewedClaim:
    text = str(claim.get("text") or "").strip()
    if not text:
        raise ValueError("claim has no text")
    rating = {"textualRating": review.get("textualRating", "")}
    return ReviewedClaim(
        source=where,
        text=text,
        claimant=str(claim.get("claimant") or "").strip(),
        date=_date(claim.get("claimDate")),
        review_url=str(review.get("url") or ""),
        publisher=_name(review.get("publisher")) or "Fact-check",
        textual_rating=str(review.get("textualRating") or ""),
        verdict=verdict_from_rating(rating),
        appearances=[],
    )


def parse_claimreview(data, file: Path) -> list[ReviewedClaim]:
    """Every reviewed claim in a file: one ClaimReview, a list of them, or a fact-check
    search API response ({"claims": [{"text", "claimant", "claimDate",
    "claimReview": [...]}]})."""
    found: list[ReviewedClaim] = []
    try:
        if isinstance(data, dict) and isinstance(data.get("claims"), list):
            for index, claim in enumerate(data["claims"], start=1):
                for review in claim.get("claimReview") or []:
                    found.append(_from_search_api(claim, review, f"{file}, claim {index}"))
        else:
            entries = data if isinstance(data, list) else [data]
            for index, review in enumerate(entries, start=1):
                if not isinstance(review, dict):
                    raise ValueError("an entry is not an object")
                found.append(_from_json_ld(review, f"{file}, entry {index}"))
    except (ValueError, AttributeError, TypeError) as error:
        raise ImportError_(file, 0, f"entry {len(found) + 1}: {error}") from None
    return found


def _apply_review(review: ReviewedClaim, user) -> str:
    uuid_ = uuid.uuid5(EVENTS_NAMESPACE, f"claimreview|{' '.join(review.text.split()).casefold()}")
    statement = review.text if len(review.text) <= 500 else review.text[:499] + "…"
    claim = Claim.objects.filter(uuid=uuid_).first()
    rationale = f"{review.publisher}: “{review.textual_rating}”" + (
        f" ({review.review_url})" if review.review_url else ""
    )
    outcome = "skipped"
    if claim is None:
        claim = services.claim_create(
            uuid=uuid_, statement=statement, made_on=review.date, verdict=review.verdict,
            verdict_rationale=rationale, created_by=user,
        )  # fmt: skip
        outcome = "created"
    elif (claim.verdict, claim.verdict_rationale) != (review.verdict, rationale):
        services.claim_update(
            claim=claim, data={"verdict": review.verdict, "verdict_rationale": rationale}, by=user
        )
        outcome = "updated"
    if review.claimant:
        claimant = services.claimant_get_by_name(review.claimant) or services.claimant_create(
            name=review.claimant, created_by=user
        )
        if not claim.attributions.filter(claimant=claimant, role="originator").exists():
            services.attribution_create(
                claim=claim, claimant=claimant, role="originator", stated_on=review.date,
                created_by=user,
            )  # fmt: skip
            outcome = "updated" if outcome == "skipped" else outcome
    known = set(claim.sources.values_list("url", flat=True))
    wanted = [(review.publisher, review.review_url, "Fact-check")] if review.review_url else []
    wanted += [(_host(url), url, "") for url in review.appearances]
    for outlet, url, title in wanted:
        if url not in known:
            services.source_add(claim=claim, outlet=outlet, url=url, title=title, by=user)
            known.add(url)
            outcome = "updated" if outcome == "skipped" else outcome
    return outcome


def _host(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url


def import_claimreview(
    paths: Iterable[Path], *, user, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Import ClaimReview JSON-LD files; all or nothing."""
    import json

    reviews: list[ReviewedClaim] = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ImportError_(path, 0, "no such file") from None
        except UnicodeDecodeError:
            raise ImportError_(path, 0, "not UTF-8 text") from None
        except json.JSONDecodeError as error:
            raise ImportError_(path, error.lineno, f"not valid JSON: {error.msg}") from None
        reviews.extend(parse_claimreview(data, Path(path)))
    report = Report()
    with transaction.atomic():
        for number, review in enumerate(reviews, start=1):
            outcome = _apply_review(review, user)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if progress:
                progress(number, len(reviews))
    return report
