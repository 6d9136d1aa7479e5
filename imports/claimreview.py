"""ClaimReview JSON-LD (one object, a list, or a fact-check search API response) as claims.

Everything is read and checked first, then one transaction writes through the services.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims import services
from claims.models import AttributionRole, Claim, Claimant, Verdict
from core.dates import DatePrecision, partial_date
from core.importing import ImportFailed, ImportReport, imported_record, uuid_in
from imports.events import EVENTS_NAMESPACE
from investigations.models import Investigation

# Textual ratings read by their words, checked in this order: "mostly false" and "half
# true" must be caught before "false" and "true".
_RATING_WORDS = [
    (
        ("mostly false", "misleading", "disputed", "exaggerat", "half", "mixed", "partly"),
        Verdict.DISPUTED,
    ),
    (
        ("pants on fire", "false", "fake", "incorrect", "wrong", "hoax", "fabricated"),
        Verdict.REFUTED,
    ),
    (("true", "correct", "accurate", "confirmed", "supported"), Verdict.SUPPORTED),
    (("unproven", "unverified", "no evidence", "unsupported"), Verdict.UNVERIFIED),
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
        return Verdict.INCONCLUSIVE
    if position <= 0.2:
        return Verdict.REFUTED
    if position <= 0.45:
        return Verdict.DISPUTED
    if position >= 0.75:
        return Verdict.SUPPORTED
    return Verdict.INCONCLUSIVE


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
    if not isinstance(review, dict):
        raise ValueError(_("an entry is not an object"))
    if review.get("@type") != "ClaimReview":
        raise ValueError(_("not a ClaimReview"))
    text = str(review.get("claimReviewed") or "").strip()
    if not text:
        raise ValueError(_("ClaimReview has no claimReviewed"))
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
    if not isinstance(claim, dict) or not isinstance(review, dict):
        raise ValueError(_("a claim or its review is not an object"))
    text = str(claim.get("text") or "").strip()
    if not text:
        raise ValueError(_("claim has no text"))
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


def _entries(data, file: Path):
    """(index, a function reading that entry) for every entry of a file."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        for index, claim in enumerate(data["claims"], start=1):
            where = _("%(file)s, claim %(index)d") % {"file": file, "index": index}
            reviews = claim.get("claimReview") if isinstance(claim, dict) else [None]
            for review in reviews or []:
                yield index, functools.partial(_from_search_api, claim, review, where)
    else:
        for index, review in enumerate(data if isinstance(data, list) else [data], start=1):
            where = _("%(file)s, entry %(index)d") % {"file": file, "index": index}
            yield index, functools.partial(_from_json_ld, review, where)


def parse_claimreview(data, file: Path) -> tuple[list[ReviewedClaim], list[str]]:
    """Every reviewed claim in a file (one ClaimReview, a list of them, or a fact-check
    search API response: {"claims": [{"text", "claimant", "claimDate", "claimReview":
    [...]}]}), and a problem for each entry that is not one ("entry 3: ...")."""
    found: list[ReviewedClaim] = []
    problems: list[str] = []
    for index, read in _entries(data, file):
        try:
            found.append(read())
        except (ValueError, AttributeError, TypeError) as error:
            problems.append(_("entry %(index)d: %(error)s") % {"index": index, "error": error})
    return found, problems


# "NewsX, One India and Live Hindustan": fact-checkers often name several actors in one
# field. Each becomes a claimant a person recognises; the field as published is kept whole
# in the claim's details wherever it had to be split or cut.
_ACTOR_SEPARATORS = re.compile(r"\s*(?:[,;/]|\band\b|&)\s*")


def claimant_names(text: str) -> list[str]:
    """The actors a claimant field names, each fit to be a claimant's name."""
    limit = Claimant._meta.get_field("name").max_length
    names = []
    for part in _ACTOR_SEPARATORS.split(" ".join(text.split())):
        part = part.strip(" .")
        if part and part.casefold() not in {n.casefold() for n in names}:
            names.append(part if len(part) <= limit else part[: limit - 1] + "…")
    return names


def _details(review: ReviewedClaim, names: list[str]) -> str:
    """What a person must still be able to read whole: a statement longer than a claim's,
    and a claimant field that had to be split or cut."""
    lines = []
    if Claim.shortened(review.text) != review.text.strip():
        lines.append(review.text.strip())
    if review.claimant and names != [" ".join(review.claimant.split())]:
        lines.append(f"Claimant as given by {review.publisher}: {review.claimant}")
    return "\n\n".join(lines)


def _apply_review(review: ReviewedClaim, investigation: Investigation, user) -> str:
    uuid_ = uuid.uuid5(EVENTS_NAMESPACE, f"claimreview|{' '.join(review.text.split()).casefold()}")
    statement = Claim.shortened(review.text)
    names = claimant_names(review.claimant)
    claim = imported_record(Claim, investigation, uuid_)
    rationale = f"{review.publisher}: “{review.textual_rating}”" + (
        f" ({review.review_url})" if review.review_url else ""
    )
    outcome = "unchanged"
    if claim is None:
        claim = services.claim_create(
            investigation=investigation,
            uuid=uuid_in(Claim, investigation, uuid_),
            statement=statement,
            details=_details(review, names),
            made=partial_date(review.date, DatePrecision.DAY),
            verdict=review.verdict,
            verdict_rationale=rationale,
            by=user,
        )
        outcome = "created"
    elif (claim.verdict, claim.verdict_rationale) != (review.verdict, rationale):
        services.claim_update(
            claim=claim, data={"verdict": review.verdict, "verdict_rationale": rationale}, by=user
        )
        outcome = "updated"
    for name in names:
        claimant = services.claimant_get_by_name(name) or services.claimant_create(
            name=name, by=user
        )
        originator = AttributionRole.ORIGINATOR
        if not claim.attributions.filter(claimant=claimant, role=originator).exists():
            services.attribution_create(
                claim=claim,
                claimant=claimant,
                role=originator,
                stated=partial_date(review.date, DatePrecision.DAY),
                by=user,
            )
            outcome = "updated" if outcome == "unchanged" else outcome
    known = set(claim.sources.values_list("url", flat=True))
    wanted = [(review.publisher, review.review_url, "Fact-check")] if review.review_url else []
    wanted += [(_host(url), url, "") for url in review.appearances]
    for outlet, url, title in wanted:
        if url not in known:
            services.source_create(claim=claim, outlet=outlet, url=url, title=title, by=user)
            known.add(url)
            outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _host(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url


def import_claimreview(
    paths: Iterable[Path],
    *,
    investigation: Investigation,
    user,
    progress: Callable[[int, int], None] | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import ClaimReview JSON-LD files into an investigation; all or nothing, unless
    `skip_invalid`: then the valid entries are imported and each other one is named, with
    its index and reason, in the report."""
    report = ImportReport()
    reviews: list[ReviewedClaim] = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ImportFailed(path, 0, _("no such file")) from None
        except UnicodeDecodeError:
            raise ImportFailed(path, 0, _("not UTF-8 text")) from None
        except json.JSONDecodeError as error:
            raise ImportFailed(
                path, error.lineno, _("not valid JSON: %(error)s") % {"error": error.msg}
            ) from None
        found, problems = parse_claimreview(data, Path(path))
        if problems and not skip_invalid:
            raise ImportFailed(path, 0, problems[0])
        for problem in problems:
            report.skip(f"{path}, {problem}")
        reviews.extend(found)
    with transaction.atomic():
        for number, review in enumerate(reviews, start=1):
            try:
                with transaction.atomic():  # an entry refused leaves nothing behind
                    report.count(_apply_review(review, investigation, user))
            except ValidationError as error:
                reason = " ".join(error.messages)
                if not skip_invalid:
                    raise ImportFailed(review.source, 0, reason) from None
                report.skip(f"{review.source}: {reason}")
            if progress:
                progress(number, len(reviews))
    return report
