"""Writes to evidence items, their links to claims, and their review."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, Claimant
from corroborate.dates import DatePrecision
from corroborate.services import model_update, validated_save
from evidence.models import (
    EvidenceItem,
    EvidenceLink,
    ReviewStatus,
    Strength,
)
from evidence.previews import image_thumbnail

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
)

_CHUNK = 1024 * 1024


def _hash_file(file: File) -> tuple[str, int]:
    """SHA-256 and size, read in chunks so memory does not grow with the file."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in file.chunks(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


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
    uuid: Any = None,
) -> EvidenceItem:
    """Create an evidence item, storing its file (if any) under a generated name.

    The item starts pending review. If validation or saving fails, the stored file is
    removed again so that nothing is left half-written.
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
        created_by=created_by,
    )
    if uuid is not None:
        item.uuid = uuid
    # Validate before touching storage, so a bad form stores no file.
    item.full_clean(exclude=["file"])
    if file is None:
        item.save()
        return item

    store_file(item=item, file=file, original_filename=original_filename)
    return item


@transaction.atomic
def store_file(*, item: EvidenceItem, file: File, original_filename: str = "") -> EvidenceItem:
    """Store `file` as the item's original under a generated name, with hash and size.

    If validation or saving fails, the stored file is removed again so that nothing is left
    half-written.
    """
    item.sha256, item.size_bytes = _hash_file(file)
    item.original_filename = (original_filename or file.name or "").rsplit("/", 1)[-1][:255]
    thumbnail = image_thumbnail(file)
    item.file.save("upload", file, save=False)
    try:
        if thumbnail is not None:
            item.thumbnail.save(
                f"evidence/previews/{item.uuid.hex[:2]}/{item.uuid.hex}-thumb.jpg",
                ContentFile(thumbnail),
                save=False,
            )
        validated_save(item)
    except Exception:
        item.file.storage.delete(item.file.name)
        if item.thumbnail:
            item.thumbnail.storage.delete(item.thumbnail.name)
        raise
    return item


@transaction.atomic
def evidence_update(
    *, item: EvidenceItem, data: dict[str, Any], expected_version: int | None = None
) -> EvidenceItem:
    """Change an item's description, provenance or location; never its review status."""
    return model_update(
        instance=item, data=data, allowed=EVIDENCE_FIELDS, expected_version=expected_version
    )


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
    *, item: EvidenceItem, reviewer: AbstractBaseUser, status: str, note: str = ""
) -> EvidenceItem:
    """Record a review decision by a reviewer (see review_check for the rules)."""
    if not can_review(reviewer):
        raise PermissionDenied(_("Only reviewers can change the review status of evidence."))
    review_check(item=item, reviewer=reviewer, status=status, note=note)
    item.review_status = status
    item.review_note = note.strip()
    if status == ReviewStatus.PENDING:
        item.reviewed_by, item.reviewed_at = None, None
    else:
        item.reviewed_by, item.reviewed_at = reviewer, timezone.now()
    return validated_save(item)


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
    return validated_save(link)


@transaction.atomic
def evidence_link_update(*, link: EvidenceLink, data: dict[str, Any]) -> EvidenceLink:
    return model_update(instance=link, data=data, allowed=LINK_FIELDS)


@transaction.atomic
def evidence_unlink(*, link: EvidenceLink) -> None:
    link.delete()
