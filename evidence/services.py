"""Writes to evidence items, their links to claims, and their review."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, Claimant
from core import history
from core.dates import DatePrecision
from core.services import created, deleted, model_update, validated_save
from evidence import intake as pipeline
from evidence.models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    EvidenceLink,
    LocationPrecision,
    ReviewStatus,
    Strength,
)

REVIEW_PERMISSION = "evidence.review_evidenceitem"

# What researchers may change. Review fields are absent on purpose: only
# evidence_review() changes them.
EVIDENCE_FIELDS = (
    "kind",
    "title",
    "description",
    "url",
    "provider",
    "event_on",
    "event_on_precision",
    "captured_from",
    "captured_to",
    "captured_precision",
    "published_on",
    "published_on_precision",
    "collected_on",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "is_graphic",
)


class DuplicateEvidence(ValidationError):
    """The file is already stored as evidence; `existing` is that item."""

    def __init__(self, existing: EvidenceItem) -> None:
        super().__init__(
            {
                "file": ValidationError(
                    _("This file is already evidence: “%(title)s”."),
                    code="duplicate",
                    params={"title": existing.title},
                )
            }
        )
        self.existing = existing


def custody_record(
    *,
    item: EvidenceItem,
    action: str,
    user: AbstractBaseUser | None,
    sha256: str | None = None,
    detail: str = "",
) -> CustodyEvent:
    """Append an entry to an item's chain of custody (its stored hash unless given)."""
    return CustodyEvent.objects.create(
        evidence=item,
        action=action,
        user=user,
        sha256=item.sha256 if sha256 is None else sha256,
        detail=detail[:500],
    )


def _describe(metadata: dict) -> str:
    parts = []
    if image := metadata.get("image"):
        parts.append(f"{image['width']}×{image['height']} px")
    for kind in ("video", "audio"):
        if media := metadata.get(kind):
            if media.get("width"):
                parts.append(f"{media['width']}×{media['height']}")
            if media.get("duration_seconds"):
                parts.append(f"{media['duration_seconds']} s")
            parts.append(media.get("codec", ""))
    if exif := metadata.get("exif"):
        parts.extend(f"{key}: {value}" for key, value in exif.items() if key != "gps")
        if gps := exif.get("gps"):
            parts.append(f"GPS {gps['latitude']}, {gps['longitude']}")
    return "; ".join(p for p in parts if p)


@transaction.atomic
def evidence_create(
    *,
    kind: str,
    title: str,
    created_by: AbstractBaseUser,
    description: str = "",
    file: File | None = None,
    original_filename: str = "",
    url: str = "",
    provider: Claimant | None = None,
    event_on: datetime.date | None = None,
    event_on_precision: str = DatePrecision.DAY,
    captured_from: datetime.date | None = None,
    captured_to: datetime.date | None = None,
    captured_precision: str = DatePrecision.DAY,
    published_on: datetime.date | None = None,
    published_on_precision: str = DatePrecision.DAY,
    collected_on: datetime.date | None = None,
    location_name: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_precision: str = "",
    is_graphic: bool = False,
    uuid: Any = None,
) -> EvidenceItem:
    """Create an evidence item; its file, if any, goes through the intake pipeline.

    The item starts pending review. A refused file raises ValidationError on "file"; a file
    already stored raises DuplicateEvidence. Either way nothing is written.
    """
    item = EvidenceItem(
        kind=kind,
        title=title.strip(),
        description=description,
        url=url.strip(),
        provider=provider,
        event_on=event_on,
        event_on_precision=event_on_precision,
        captured_from=captured_from,
        captured_to=captured_to,
        captured_precision=captured_precision,
        published_on=published_on,
        published_on_precision=published_on_precision,
        collected_on=collected_on,
        location_name=location_name.strip(),
        latitude=latitude,
        longitude=longitude,
        location_precision=location_precision,
        is_graphic=is_graphic,
        created_by=created_by,
    )
    if uuid is not None:
        item.uuid = uuid
    # Validate the record before the file is read, so a bad form costs no intake.
    item.full_clean()
    if file is None:
        item.save()
        return created(item, by=created_by)
    received = pipeline.receive(file, original_filename)
    return evidence_attach_file(item=item, intake=received, user=created_by)


def evidence_attach_file(
    *, item: EvidenceItem, intake: pipeline.Intake, user: AbstractBaseUser
) -> EvidenceItem:
    """Store a received file as the original of a new item and save the item.

    Everything stored is removed again if the record cannot be saved.
    """
    existing = EvidenceItem.objects.filter(sha256=intake.sha256).exclude(pk=item.pk).first()
    if existing is not None:
        intake.discard()
        raise DuplicateEvidence(existing)
    storage = item.file.storage
    names = pipeline.store(intake, storage, item.uuid)
    try:
        with transaction.atomic():
            item.file.name = names["file"]
            item.thumbnail.name = names.get("thumbnail", "")
            item.preview.name = names.get("preview", "")
            item.keyframe_strip.name = names.get("strip", "")
            item.original_filename = intake.original_filename
            item.sha256, item.size_bytes = intake.sha256, intake.size
            item.media_type = intake.detection.media_type
            item.metadata, item.phash = intake.metadata, intake.phash
            validated_save(item)
            created(item, by=user)
            custody_record(
                item=item,
                action=CustodyAction.RECEIVED,
                user=user,
                detail=f"{intake.size} bytes, {intake.detection.name}, "
                f"named “{intake.original_filename}”",
            )
            custody_record(
                item=item,
                action=CustodyAction.METADATA_EXTRACTED,
                user=user,
                detail=_describe(intake.metadata) or intake.detection.media_type,
            )
    except BaseException:
        pipeline.unstore(storage, names)
        raise
    return item


@transaction.atomic
def evidence_update(
    *,
    item: EvidenceItem,
    data: dict[str, Any],
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> EvidenceItem:
    """Change an item's description, provenance or location; never its review status.

    An item that a reviewer asked more information about goes back to the review queue.
    """
    unknown = set(data) - set(EVIDENCE_FIELDS)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))} here.")
    if item.review_status == ReviewStatus.NEEDS_INFO:
        # The reviewer's note stays, so the next reviewer sees what was asked.
        data = data | {"review_status": ReviewStatus.PENDING}
    return model_update(
        instance=item,
        data=data,
        allowed=(*EVIDENCE_FIELDS, "review_status"),
        by=by,
        expected_version=expected_version,
    )


@transaction.atomic
def evidence_accept_suggestion(
    *, item: EvidenceItem, what: str, by: AbstractBaseUser
) -> EvidenceItem:
    """Take the coordinates or capture date that the file's EXIF suggests."""
    exif = item.metadata.get("exif", {})
    if what == "coordinates" and exif.get("gps"):
        gps = exif["gps"]
        data = {
            "latitude": Decimal(str(gps["latitude"])),
            "longitude": Decimal(str(gps["longitude"])),
            "location_precision": item.location_precision or LocationPrecision.EXACT,
        }
    elif what == "capture-date" and exif.get("original_datetime"):
        day = datetime.datetime.fromisoformat(exif["original_datetime"]).date()
        data = {"captured_from": day, "captured_to": day, "captured_precision": DatePrecision.DAY}
    else:
        raise ValidationError(_("The file suggests no such value."), code="no_suggestion")
    return evidence_update(item=item, data=data, by=by)


def can_review(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def review_check(*, item: EvidenceItem, reviewer: AbstractBaseUser, status: str, note: str) -> None:
    """The review rules, for every place a review can be made (queue, admin, API).

    Raises ValidationError naming the field at fault: nobody reviews an item they added
    themselves (four eyes), and rejecting or asking for more information needs a note.
    """
    if status not in ReviewStatus.values:
        raise ValidationError({"review_status": _("Unknown review status.")}, code="invalid")
    if item.created_by_id == reviewer.pk:
        raise ValidationError(
            {"review_status": _("You added this evidence item, so someone else must review it.")},
            code="own_item",
        )
    if status in (ReviewStatus.REJECTED, ReviewStatus.NEEDS_INFO) and not note.strip():
        raise ValidationError(
            {
                "review_note": _(
                    "Say why: a note is required to reject or ask for more information."
                )
            },
            code="note_required",
        )


@transaction.atomic
def evidence_review(
    *,
    item: EvidenceItem,
    reviewer: AbstractBaseUser,
    status: str,
    note: str = "",
    authenticity: str | None = None,
) -> EvidenceItem:
    """Record a review decision by a reviewer (see review_check for the rules)."""
    if not can_review(reviewer):
        raise PermissionDenied(_("Only reviewers can change the review status of evidence."))
    review_check(item=item, reviewer=reviewer, status=status, note=note)
    before = history.snapshot(item)
    item.review_status = status
    item.review_note = note.strip()
    if authenticity is not None:
        item.media_authenticity = authenticity
    if status == ReviewStatus.PENDING:
        item.reviewed_by, item.reviewed_at = None, None
    else:
        item.reviewed_by, item.reviewed_at = reviewer, timezone.now()
    validated_save(item)
    history.record(instance=item, user=reviewer, before=before)
    custody_record(
        item=item,
        action=CustodyAction.REVIEWED,
        user=reviewer,
        detail=" · ".join(filter(None, [item.get_review_status_display(), item.review_note])),
    )
    return item


# Links -------------------------------------------------------------------------------------

LINK_FIELDS = ("relation", "strength", "rationale")


@transaction.atomic
def evidence_link(
    *,
    claim: Claim,
    evidence: EvidenceItem,
    relation: str,
    created_by: AbstractBaseUser,
    strength: str = Strength.MODERATE,
    rationale: str = "",
) -> EvidenceLink:
    """Link an evidence item to a claim; one link per (claim, item) pair."""
    link = EvidenceLink(
        claim=claim,
        evidence=evidence,
        relation=relation,
        strength=strength,
        rationale=rationale,
        created_by=created_by,
    )
    created(validated_save(link), by=created_by)
    custody_record(
        item=evidence,
        action=CustodyAction.LINKED,
        user=created_by,
        detail=f"{link.get_relation_display()} claim #{claim.pk}: {claim.statement}",
    )
    return link


@transaction.atomic
def evidence_link_update(
    *, link: EvidenceLink, data: dict[str, Any], by: AbstractBaseUser
) -> EvidenceLink:
    return model_update(instance=link, data=data, allowed=LINK_FIELDS, by=by)


@transaction.atomic
def evidence_unlink(*, link: EvidenceLink, user: AbstractBaseUser) -> None:
    custody_record(
        item=link.evidence,
        action=CustodyAction.UNLINKED,
        user=user,
        detail=f"from claim #{link.claim_id}: {link.claim.statement}",
    )
    deleted(link, by=user)
