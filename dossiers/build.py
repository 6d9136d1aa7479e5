"""A claim's dossier: everything known about it, as plain data, ready for HTML, PDF, JSON
and the ZIP bundle (claims/export.py).

By default only approved evidence is included; `include_unreviewed` adds pending and
needs-information items, each marked `"counted": false` and shown as unreviewed.
Rejected evidence never leaves the workbench in a dossier.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from assessment.balance import balance, flags
from assessment.selectors import claim_detail
from claims.models import Attribution, AttributionRole, Claim, ClaimantKind, Denial
from core import history
from core.dates import PartialDate
from core.links import absolute_url
from evidence.models import EvidenceItem, ReviewStatus
from teamwork.selectors import comments_for_dossier

FORMAT = "corroborate-dossier"
FORMAT_VERSION = 1


def _partial(date: PartialDate | None) -> dict | None:
    return date.as_json() if date else None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Dossier:
    """The dossier of one claim. `data` is the JSON document; the rest feeds the bundle."""

    claim: Claim
    data: dict[str, Any]
    items: list[EvidenceItem] = field(default_factory=list)
    # The JSON always carries the comments; the HTML and PDF show them only when asked.
    show_comments: bool = False

    @property
    def file_stem(self) -> str:
        return f"claim-{self.claim.uuid}"


def evidence_path(item: EvidenceItem) -> str:
    """Where an item's original sits in the ZIP bundle: its UUID, then its own name."""
    name = "".join(c for c in item.original_filename if c.isprintable() and c not in "/\\:")
    name = name.strip(". ") or "original"
    return f"evidence/{item.uuid}/{name}"


def preview_path(item: EvidenceItem, kind: str) -> str:
    return f"previews/{item.uuid}/{kind}.jpg"


def _claimant(claimant) -> dict:
    return {
        "id": claimant.pk,
        "name": claimant.name,
        "kind": claimant.kind,
        "country": claimant.country,
        "aliases": claimant.alias_list,
        "description": claimant.description,
        "parents": [parent.name for parent in claimant.ancestors()],
    }


def _stance(stance: Attribution | Denial) -> dict:
    data = {
        "claimant": stance.claimant.name,
        "claimant_id": stance.claimant_id,
        "stated": _partial(stance.stated),
        "quote": stance.quote,
        "source_url": stance.source.url if stance.source else None,
    }
    if isinstance(stance, Attribution):
        data["role"] = stance.role
    else:
        data["kind"] = stance.kind
    return data


def _evidence(item: EvidenceItem) -> dict:
    start, end = item.captured
    return {
        "uuid": str(item.uuid),
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "url": item.url,
        "page": absolute_url(reverse("evidence:evidence_detail", args=[item.pk])),
        "provider": item.provider.name if item.provider else None,
        "dates": {
            "event": _partial(item.event),
            "captured_from": _partial(start),
            "captured_to": _partial(end),
            "published": _partial(item.published),
            "collected_on": _iso(item.collected_on),
        },
        "location": {
            "name": item.location_name,
            "latitude": str(item.latitude) if item.latitude is not None else None,
            "longitude": str(item.longitude) if item.longitude is not None else None,
            "precision": item.location_precision,
        },
        "file": (
            {
                "path": evidence_path(item),
                "original_filename": item.original_filename,
                "sha256": item.sha256,
                "size": item.size_bytes,
                "media_type": item.media_type,
            }
            if item.file
            else None
        ),
        "metadata": item.metadata,
        # C2PA, read at intake: {"state": "none"} without; see evidence.credentials.
        "content_credentials": item.content_credentials or None,
        "graphic": item.is_graphic,
        "review": {
            "status": item.review_status,
            "reviewed_by": item.reviewed_by.get_username() if item.reviewed_by else None,
            "reviewed_at": _iso(item.reviewed_at),
            "note": item.review_note,
            "media_authenticity": item.media_authenticity or None,
        },
        "counted": item.review_status == ReviewStatus.APPROVED,
    }


def _history_entry(entry) -> dict:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "by": entry.username,
        "action": entry.action,
        "record": entry.model,
        "record_id": entry.object_id,
        "summary": entry.object_repr,
        "changes": entry.changes,
        "hash": entry.hash,
        "prev_hash": entry.prev_hash,
    }


# schema.org --------------------------------------------------------------------------------


def _organisation() -> dict:
    return {"@type": "Organization", "name": settings.CORROBORATE_ORGANISATION}


def _agent(claimant) -> dict:
    kind = (
        "Person"
        if claimant.kind in (ClaimantKind.PERSON, ClaimantKind.OFFICIAL)
        else "Organization"
    )
    return {"@type": kind, "name": claimant.name}


def claim_review(claim: Claim) -> dict:
    """schema.org ClaimReview with every field fact-check markup requires or recommends."""
    rating = claim.rating
    sources = sorted(claim.sources.all(), key=lambda s: (s.published_on or datetime.date.max, s.pk))
    appearances = [
        {
            "@type": "CreativeWork",
            "url": source.url,
            "headline": source.title or None,
            "datePublished": _iso(source.published_on),
            "publisher": {"@type": "Organization", "name": source.outlet},
        }
        for source in sources
    ]
    originators = [
        a.claimant for a in claim.attributions.all() if a.role == AttributionRole.ORIGINATOR
    ]
    authors = originators or [a.claimant for a in claim.attributions.all()]
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": [_agent(author) for author in authors]
        if len(authors) != 1
        else _agent(authors[0]),
        "datePublished": claim.made.isoformat() if claim.made else None,
        "appearance": appearances,
        "firstAppearance": appearances[0] if appearances else None,
    }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(reverse("claims:claim_detail", args=[claim.pk])),
        "claimReviewed": claim.statement,
        "author": _organisation(),
        "datePublished": claim.updated.date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": 5,
            "worstRating": 1,
            # schema.org values stay in English whatever the dossier's language.
            "alternateName": _in_english(rating.label),
        },
        "itemReviewed": item,
    }


def _in_english(label) -> str:
    with translation.override("en"):
        return str(label)


def media_review(item: EvidenceItem) -> dict:
    """schema.org MediaReview of a reviewed image or video."""
    media_type = (
        "VideoObject"
        if (item.media_type or "").startswith("video/") or (item.kind == "video")
        else "ImageObject"
    )
    media: dict[str, Any] = {
        "@type": media_type,
        "name": item.title,
        "contentUrl": item.url or None,
        "encodingFormat": item.media_type or None,
    }
    if item.sha256:
        media["sha256"] = item.sha256
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MediaReview",
        "url": absolute_url(reverse("evidence:evidence_detail", args=[item.pk])),
        "author": _organisation(),
        "datePublished": _iso(item.reviewed_at.date()) if item.reviewed_at else None,
        "originalMediaContextDescription": item.description or item.title,
        "itemReviewed": {"@type": "MediaReviewItem", "mediaItemAppearance": [media]},
    }
    if item.media_authenticity:
        review["mediaAuthenticityCategory"] = item.media_authenticity
    return review


# Building ----------------------------------------------------------------------------------


def _comment(comment, uuids: dict[tuple[str, int], str]) -> dict:
    on = ("claim", comment.claim_id) if comment.claim_id else ("evidence", comment.evidence_id)
    return {
        "on": on[0],
        "record": uuids[on],
        "author": comment.author.get_username(),
        "text": comment.text,
        "created_at": comment.created.isoformat(),
        "edited_at": _iso(comment.edited),
    }


def build(
    claim_pk: int,
    *,
    include_unreviewed: bool = False,
    exported_by=None,
    show_comments: bool = False,
) -> Dossier:
    # The claim is found among those `exported_by` may see (all of them for the shell, None).
    """Assemble the dossier of a claim."""
    claim = claim_detail(claim_pk, exported_by)
    links = list(claim.evidence_links.all())
    weighed = balance(links)
    wanted = {ReviewStatus.APPROVED, *(EvidenceItem.AWAITING_REVIEW if include_unreviewed else ())}
    included = [link for link in links if link.evidence.review_status in wanted]
    items = list({link.evidence_id: link.evidence for link in included}.values())
    claimants = {a.claimant_id: a.claimant for a in claim.attributions.all()}
    claimants |= {d.claimant_id: d.claimant for d in claim.denials.all()}
    claimants |= {i.provider_id: i.provider for i in items if i.provider_id}
    entries = history.for_page(claim_id=claim.pk).order_by("seq")
    uuids = {("claim", claim.pk): str(claim.uuid)}
    uuids |= {("evidence", item.pk): str(item.uuid) for item in items}
    comments = comments_for_dossier(claim, items)
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "exported_by": exported_by.get_username() if exported_by else None,
        # The language of the dossier's labels and dates; field names stay in English.
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "includes_unreviewed_evidence": include_unreviewed,
        "claim": {
            "uuid": str(claim.uuid),
            "id": claim.pk,
            "url": absolute_url(reverse("claims:claim_detail", args=[claim.pk])),
            "statement": claim.statement,
            "details": claim.details,
            "made": _partial(claim.made),
            "verdict": claim.verdict,
            "verdict_label": claim.get_verdict_display(),
            "rating": {"value": claim.rating.value, "label": claim.rating.label},
            "verdict_rationale": claim.verdict_rationale,
            "tags": sorted(tag.name for tag in claim.tags.all()),
            "created_by": claim.created_by.get_username(),
            "created_at": claim.created.isoformat(),
            "updated_at": claim.updated.isoformat(),
        },
        "sources": [
            {
                "outlet": s.outlet,
                "url": s.url,
                "title": s.title,
                "published_on": _iso(s.published_on),
                "archived_url": s.archived_url,
            }
            for s in claim.sources.all()
        ],
        "claimants": [_claimant(c) for c in sorted(claimants.values(), key=lambda c: c.name)],
        "attributions": [_stance(a) for a in claim.attributions.all()],
        "denials": [_stance(d) for d in claim.denials.all()],
        # Ordered by what the claims say, not by local ids: the same on every instance.
        "related_claims": [
            {"uuid": str(other.uuid), "statement": other.statement, "made": _partial(other.made)}
            for other in sorted(
                claim.related.all(),
                key=lambda c: (c.made.isoformat() if c.made else "", c.statement),
            )
        ],
        "evidence": [_evidence(item) for item in items],
        "links": [
            {
                "evidence": str(link.evidence.uuid),
                "relation": link.relation,
                "strength": link.strength,
                "rationale": link.rationale,
                "linked_by": link.created_by.get_username(),
                "linked_at": link.created.isoformat(),
            }
            for link in included
        ],
        "balance": {
            "supporting": weighed.supporting,
            "contradicting": weighed.contradicting,
            "unreviewed_supporting": weighed.pending_supporting,
            "unreviewed_contradicting": weighed.pending_contradicting,
            "lean": weighed.lean,
            "weights": {"weak": 1, "moderate": 2, "strong": 3},
        },
        "flags": [str(flag.label) for flag in flags(claim, links, weighed)],
        # The claim's and its included evidence's comments, oldest first.
        "comments": [_comment(comment, uuids) for comment in comments],
        "history": [_history_entry(entry) for entry in entries],
        "history_head": history.head_hash(),
        "claim_review": claim_review(claim),
        "media_reviews": [
            media_review(item)
            for item in items
            if item.is_image_or_video and not item.is_awaiting_review
        ],
    }
    return Dossier(claim=claim, data=data, items=items, show_comments=show_comments)
