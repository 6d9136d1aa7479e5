"""Current Events news items (the Wikipedia portal's markdown) as claims.

Every file is read and checked first, then one transaction writes through the services: on
any error nothing from the run is written, and the error names the file and the line.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.db import transaction
from django.utils.translation import gettext as _

from claims import services
from claims.models import Claim
from core.dates import PartialDate
from core.importing import (
    ImportFailed,
    ImportReport,
    imported_record,
    imported_records,
    text_line,
    uuid_in,
    uuids_in,
)
from evidence.models import EvidenceItem, EvidenceKind, Relation
from evidence.services import (
    evidence_create,
    evidence_create_many,
    evidence_link_create,
    evidence_links_create_many,
)
from investigations.models import Investigation

EVENTS_NAMESPACE = uuid.UUID("2f0b9a8e-49f6-4c7b-9a2b-6c1c1f0e7d55")
SKIPPED_NAMES = {"index.md", "readme.md"}


# The date line, with one- or two-digit month and day, of any language edition.
_DATE = re.compile(r"^### \[(\d{4})-(\d{1,2})-(\d{1,2})\]\([^)]*\)\s*$")
_TOPIC = re.compile(r"^#####\s+(.+?)\s*$")
_HEADLINE = re.compile(r"^#\s+(.+?)\s*$")
_HEADING = re.compile(r"^#{1,6}\s")
_ENTRY = re.compile(r"^\d+\.\s+(.*)$")
# A link's target; its text is what stands between the previous link and it, after "[".
_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# "_Context: NATO, Ukraine_" in English, "_消息: 北约_" in Chinese: any label.
_TRAILER = re.compile(r"_([^_:]{1,40}):\s*([^_]*)_\s*$")
# A path in the news tree, with or without a language prefix (/zh/news/...), with one- or
# two-digit month and day: all name the same item.
_NEWS_PATH = re.compile(r"^(?:/[a-z]{2,3}(?:-[a-z]+)?)?/news/(\d{4})/(\d{1,2})/(\d{1,2})/(.+)$")
_IMAGE_WORDS = {"img", "image", "cover image", "photo"}


def news_key(path: str) -> str | None:
    """The one form of a news item's path: /news/2014/9/4/slug.md for /news/2014/09/04/...,
    /zh/news/2014/9/4/... and the like; None for a path outside the news tree."""
    match = _NEWS_PATH.match(path.strip())
    if match is None:
        return None
    year, month, day, rest = match.groups()
    return f"/news/{int(year)}/{int(month)}/{int(day)}/{unquote(rest)}"


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
    warnings: list[str] = field(default_factory=list)  # "path:line: what was not understood"

    @property
    def statement(self) -> str:
        return Claim.shortened(self.headline)

    @property
    def uuid(self) -> uuid.UUID:
        return event_uuid(self.date, self.statement)

    @property
    def digest(self) -> str:
        """A SHA-256 of everything the import takes from the file: the same digest as last
        time means the file has nothing new for its claim."""
        read = [self.key, self.date.isoformat(), self.statement, self.summary, self.tags]
        read += [self.sources, self.cover_images, [key for key, _ in self.related]]
        return hashlib.sha256(json.dumps(read, ensure_ascii=False).encode()).hexdigest()

    @property
    def tags(self) -> list[str]:
        seen: dict[str, str] = {}
        for _key, contexts in self.related:
            for context in contexts:
                seen.setdefault(context.casefold(), context)
        return sorted(seen.values(), key=str.casefold)


def event_uuid(date: datetime.date, statement: str) -> uuid.UUID:
    """A news item's claim UUID: the same for the same event in any file, run or machine."""
    normal = " ".join(statement.split()).casefold()
    return uuid.uuid5(EVENTS_NAMESPACE, f"{date.isoformat()}|{normal}")


class Headlines:
    """The headlines of each day of a run, kept as hashes (a few bytes each, not the text),
    for fold_topic()."""

    def __init__(self) -> None:
        self.by_day: dict[datetime.date, set[int]] = {}

    def add(self, event: Event) -> None:
        self.by_day.setdefault(event.date, set()).add(hash(event.headline.strip()))

    def fold_topic(self, event: Event) -> None:
        """The portal publishes an event twice: "Topic. Headline" (or "Topic: Headline")
        and, with a topic line, plain "Headline". Where the plain one is a headline of the
        same day in the run, the prefixed one's statement loses its topic (the longest
        such prefix), so the two become one claim."""
        headline = event.headline.strip()
        day = self.by_day.get(event.date, set())
        for match in _TOPIC_END.finditer(headline):
            prefix, rest = headline[: match.end()], headline[match.end() :]
            if len(prefix) > 2 and rest and hash(rest) in day:
                event.topic = event.topic or prefix[:-2]
                event.headline = rest
                return


_TOPIC_END = re.compile(r"[.:] ")


def _links(entry: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The (text, target) links of a numbered entry, and its trailer's names."""
    names: list[str] = []
    if trailer := _TRAILER.search(entry):
        names = [name.strip() for name in trailer.group(2).split(",") if name.strip()]
        entry = entry[: trailer.start()]
    links, start = [], 0
    for match in _TARGET.finditer(entry):
        segment = entry[start : match.start()]
        text = segment[segment.index("[") + 1 :] if "[" in segment else segment
        links.append((text.strip(), match.group(1)))
        start = match.end()
    return links, names


def parse_event(text: str, file: Path) -> Event | None:
    """One news item, or None for a file that is not one (it has no date line).

    Sections are recognised by their shape, not their headings' words: a heading followed
    by numbered "[text](link)" entries. Links into the news tree are related items (their
    trailer's names become tags), web links are sources, and links named IMG or Cover Image
    are pictures. Whatever else the item holds is reported, with its line, as a warning.
    """
    lines = text.splitlines()
    date = topic = headline = None
    summary: list[str] = []
    sources: list[tuple[str, str]] = []
    covers: list[str] = []
    related: list[tuple[str, list[str]]] = []
    warnings: list[str] = []
    section = "head"

    def warn(number: int, message: str) -> None:
        warnings.append(f"{file}:{number}: {message}")

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if match := _DATE.match(line):
            year, month, day = match.groups()
            try:
                date = datetime.date(int(year), int(month), int(day))
            except ValueError:
                raise ImportFailed(
                    file, number, _("“%(date)s” is not a date") % {"date": f"{year}-{month}-{day}"}
                ) from None
            section = "head"
            continue
        if date is None or not line:
            continue  # anything before the date line ("Formats: ...") is navigation
        if section == "head" and (match := _TOPIC.match(line)):
            topic = match.group(1)
        elif section == "head" and (match := _HEADLINE.match(line)):
            headline = match.group(1)
            section = "summary"
        elif _HEADING.match(line):
            section = "entries"
        elif section == "summary":
            summary.append(line)
        elif section == "entries" and (entry := _ENTRY.match(line)):
            links, names = _links(entry.group(1))
            if not links:
                warn(number, _("an entry with no “[text](link)”: “%(line)s”") % {"line": line[:60]})
            for link_text, target in links:
                if target.startswith("//"):  # protocol-relative: the web page as https
                    target = f"https:{target}"
                if key := news_key(target):
                    related.append((key, names))
                elif not target.startswith(("http://", "https://")):
                    warn(
                        number,
                        _("a link that is neither a news item nor a web page: %(link)s")
                        % {"link": target},
                    )
                elif link_text.casefold() in _IMAGE_WORDS:
                    covers.append(target)
                else:
                    sources.append((link_text or target, target))
        else:
            warn(number, _("not understood, left out: “%(line)s”") % {"line": line[:60]})
    if date is None:
        return None
    if not headline:
        raise ImportFailed(file, len(lines), _("no “# headline” line after the date line"))
    return Event(
        key=f"/news/{date.year}/{date.month}/{date.day}/{file.name}",
        file=file,
        date=date,
        topic=topic or "",
        headline=headline,
        summary="\n".join(summary),
        sources=sources,
        cover_images=covers,
        related=related,
        warnings=warnings,
    )


def event_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Markdown files named directly, or found in folders (recursively), in a stable order:
    each folder's entries by name. Walked as they are read, so a million files are never
    listed in memory at once."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            if path.name.lower() not in SKIPPED_NAMES:  # named: any extension
                yield path
        else:
            raise ImportFailed(path, 0, _("no such file or folder"))


def _walk(folder: Path) -> Iterator[Path]:
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if entry.is_dir(follow_symlinks=False):  # a linked folder could loop
            yield from _walk(Path(entry.path))
        elif entry.is_file() and _is_item_name(entry.name):
            yield Path(entry.path)


def _is_item_name(name: str) -> bool:
    return name.endswith(".md") and name.lower() not in SKIPPED_NAMES


def _apply_event(event: Event, investigation: Investigation, user) -> tuple[str, Claim]:
    """Create or update the claim of one news item; returns the claim and created, updated
    or unchanged."""
    statement = event.statement
    claim = services.claim_imported_from(investigation, event.key) or imported_record(
        Claim, investigation, event.uuid
    )
    outcome = "unchanged"
    if claim is None:
        claim = services.claim_create(
            investigation=investigation,
            uuid=uuid_in(Claim, investigation, event.uuid),
            statement=statement,
            details=event.summary,
            made=PartialDate(event.date),
            by=user,
            tags=event.tags,
        )
        outcome = "created"
    else:
        wanted = {"statement": statement, "made": PartialDate(event.date)}
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
            services.claim_tags_set(claim=claim, names=names, by=user)
            outcome = "updated"
    known = set(claim.sources.values_list("url", flat=True))
    for outlet, url in event.sources:
        if url not in known:
            services.source_create(claim=claim, outlet=outlet, url=url, by=user)
            known.add(url)
            outcome = "updated" if outcome == "unchanged" else outcome
    linked = set(EvidenceItem.objects.filter(links__claim=claim).values_list("url", flat=True))
    for url in event.cover_images:
        if url not in linked:
            # The picture is known by its address only: nothing is fetched.
            title = f"Cover image: {statement}"
            item = evidence_create(
                investigation=investigation,
                kind=EvidenceKind.PHOTO,
                title=EvidenceItem.shortened_title(title),
                url=url,
                by=user,
            )
            evidence_link_create(claim=claim, evidence=item, relation=Relation.CONTEXT, by=user)
            outcome = "updated" if outcome == "unchanged" else outcome
    services.imported_from_create(claim=claim, key=event.key, digest=event.digest)
    for path, _names in event.related:
        services.pending_relation_create(claim=claim, target_key=path)
    return outcome, claim


def read_event(file: Path) -> Event | None:
    """The news item in a file, or None for a file that is not one; ImportFailed for one
    that cannot be read."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailed(file, text_line(file, error.start), _("not UTF-8 text")) from None
    return parse_event(text, file)


BATCH = 500  # news items written together


def import_events(
    paths: Iterable[Path],
    *,
    investigation: Investigation,
    user,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import Current Events news items into an investigation; all or nothing.

    Two passes, so that memory does not grow with the number of files: the first reads and
    checks every file and keeps only each day's headlines (to fold topics); the second
    reads the files again and writes them BATCH at a time, in one transaction.
    """
    report = ImportReport()
    items = 0
    headlines = Headlines()
    for file in event_files(paths):
        event = read_event(file)
        if event is None:
            report.skip(_("%(file)s: not a news item (no date line)") % {"file": file})
            continue
        items += 1
        headlines.add(event)
        for warning in event.warnings:
            report.warn(warning)
    writer = _Writer(investigation, user, report)
    with transaction.atomic():
        batch: list[Event] = []
        number = 0
        for file in event_files(paths):
            if (event := read_event(file)) is None:
                continue
            number += 1
            headlines.fold_topic(event)
            batch.append(event)
            if len(batch) == BATCH:
                writer.write(batch)

                batch = []
                if progress:
                    progress(number, items)
        writer.write(batch)
        if progress and batch:
            progress(number, items)
        if writer.applied:  # no new file, no new target for a pending relation
            services.pending_relations_resolve(by=user, investigation=investigation)
    return report


class _Writer:
    """Writes batches of news items: new claims in bulk, through the services' bulk forms;
    a file whose claim exists already (changed since the last run, or another file of the
    same event) through the services one by one; an unchanged file not at all."""

    def __init__(self, investigation: Investigation, user, report: ImportReport) -> None:
        self.investigation, self.user, self.report = investigation, user, report
        # Claims after this one were made in this run: another file of their event merges.
        last = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.made_before = last or 0
        self.applied = 0

    def write(self, events: list[Event]) -> None:
        if not events:
            return
        known = services.imported_from_get(self.investigation, [e.key for e in events])
        unknown = {e.uuid for e in events if e.key not in known}
        existing = imported_records(Claim, self.investigation, unknown)
        new: dict[uuid.UUID, Event] = {}
        keys: set[str] = set()
        outcomes: list[str | None] = []
        for event in events:
            ref = known.get(event.key)
            if ref is not None and ref.digest == event.digest:
                outcomes.append("unchanged")  # read as last time: its claim has it all
            elif (
                ref is None
                and event.key not in keys
                and not (event.uuid in existing or event.uuid in new)
            ):
                new[event.uuid] = event
                keys.add(event.key)
                outcomes.append("created")
            else:
                outcomes.append(None)  # applied one by one, once the new ones exist
        self._create(list(new.values()))
        for event, outcome in zip(events, outcomes, strict=True):
            if outcome != "unchanged":
                self.applied += 1
            if outcome is None:
                outcome, claim = _apply_event(event, self.investigation, self.user)
                if outcome != "created" and claim.pk > self.made_before:
                    # The event's other file, in this same run: one claim, both files'.
                    outcome = "merged"
            self.report.count(outcome)

    def _create(self, events: list[Event]) -> None:
        if not events:
            return
        place, by = self.investigation, self.user
        uuids = uuids_in(Claim, place, [event.uuid for event in events])
        rows = [
            {
                "investigation": place,
                "uuid": uuids[event.uuid],
                "statement": event.statement,
                "details": event.summary,
                "made": PartialDate(event.date),
                "tags": event.tags,
            }
            for event in events
        ]
        claims = services.claims_create_many(rows, by=by)
        made = list(zip(claims, events, strict=True))
        sources = [
            {"claim": claim, "outlet": outlet, "url": url}
            for claim, event in made
            for url, outlet in _by_url(event.sources).items()
        ]
        services.sources_create_many(sources, by=by)
        covers = [
            (claim, url) for claim, event in made for url in dict.fromkeys(event.cover_images)
        ]
        items = evidence_create_many(
            [
                {
                    "investigation": place,
                    "kind": EvidenceKind.PHOTO,
                    # The picture is known by its address only: nothing is fetched.
                    "title": EvidenceItem.shortened_title(f"Cover image: {claim.statement}"),
                    "url": url,
                }
                for claim, url in covers
            ],
            by=by,
        )
        links = [
            {"claim": claim, "evidence": item, "relation": Relation.CONTEXT}
            for (claim, _), item in zip(covers, items, strict=True)
        ]
        evidence_links_create_many(links, by=by)
        services.imported_from_create_many((claim, e.key, e.digest) for claim, e in made)
        services.pending_relations_create_many(
            (claim, path) for claim, event in made for path, _ in event.related
        )


def _by_url(sources: list[tuple[str, str]]) -> dict[str, str]:
    """{url: outlet}, each URL once, as first named."""
    found: dict[str, str] = {}
    for outlet, url in sources:
        found.setdefault(url, outlet)
    return found
