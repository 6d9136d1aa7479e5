"""Writes to evidence items, their links to claims, and their review."""

from __future__ import annotations

import datetime
import hashlib
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, Claimant
from core import history, notices
from core.dates import PartialDate
from core.services import (
    created,
    deleted,
    model_update,
    validated_create_many,
    validated_save,
)
from core.storage import StorageUnavailable
from core.storage import chunks as stored_chunks
from core.tasks import enqueue
from evidence import intake as pipeline
from evidence import resumable
from evidence.credentials import read_credentials
from evidence.models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    EvidenceLink,
    IntegrityCheck,
    LocationPrecision,
    Processing,
    ReviewStatus,
    Strength,
)
from evidence.tally import claims_of_item, claims_tally_refresh
from investigations.access import role_in
from investigations.models import Investigation, Role

log = logging.getLogger(__name__)

# What researchers may change. Review fields are absent on purpose: only
# evidence_review() changes them.
EVIDENCE_UPDATABLE = (
    "kind",
    "title",
    "description",
    "url",
    "provider",
    "event",
    "captured",
    "published",
    "collected_on",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "is_graphic",
)
LINK_UPDATABLE = ("relation", "strength", "rationale")


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


def evidence_duplicate_check(
    *, sha256: str, investigation: Investigation, item: EvidenceItem | None = None
) -> None:
    """Refuse a file that is already another item of the same investigation
    (DuplicateEvidence). What other investigations hold is never looked at."""
    existing = EvidenceItem.objects.filter(investigation=investigation, sha256=sha256)
    if item is not None and item.pk is not None:
        existing = existing.exclude(pk=item.pk)
    if (found := existing.first()) is not None:
        raise DuplicateEvidence(found)


def custody_record(
    *,
    item: EvidenceItem,
    action: str,
    by: AbstractBaseUser | None,
    sha256: str | None = None,
    detail: str = "",
) -> CustodyEvent:
    """Append an entry to an item's chain of custody (its stored hash unless given)."""
    event = _custody(item=item, action=action, by=by, sha256=sha256, detail=detail)
    event.save()
    return event


def custody_record_many(*, entries: list[tuple[int, str, str]], by) -> None:
    """custody_record() for many items at once: (item id, action, detail) each, with each
    item's stored hash."""
    hashes = dict(
        EvidenceItem.objects.filter(pk__in={pk for pk, _, _ in entries}).values_list("pk", "sha256")
    )
    events = [
        _custody(item=EvidenceItem(pk=pk, sha256=hashes[pk]), action=action, by=by, detail=detail)
        for pk, action, detail in entries
        if pk in hashes
    ]
    CustodyEvent.objects.bulk_create(events, batch_size=500)


def _custody(
    *,
    item: EvidenceItem,
    action: str,
    by: AbstractBaseUser | None,
    sha256: str | None = None,
    detail: str = "",
) -> CustodyEvent:
    limit = CustodyEvent._meta.get_field("detail").max_length
    return CustodyEvent(
        evidence=item,
        action=action,
        user=by,
        sha256=item.sha256 if sha256 is None else sha256,
        detail=detail[:limit],
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


def _evidence_item(*, by: AbstractBaseUser, uuid: Any = None, **fields: Any) -> EvidenceItem:
    """A new item from evidence_create()'s fields (no file), not saved yet."""
    for name in ("title", "url", "location_name"):
        fields[name] = fields.get(name, "").strip()
    item = EvidenceItem(created_by=by, **fields)
    if uuid is not None:
        item.uuid = uuid
    return item


@transaction.atomic
def evidence_create_many(rows: list[dict[str, Any]], *, by: AbstractBaseUser) -> list[EvidenceItem]:
    """Create many items known by their address only, no file (importers): each row holds
    evidence_create()'s arguments, `by` aside, without file. Checked as evidence_create()
    checks one (see validated_create_many); each starts pending review."""
    return validated_create_many([_evidence_item(by=by, **row) for row in rows], by=by)


@transaction.atomic
def evidence_create(
    *,
    investigation: Investigation,
    kind: str,
    title: str,
    by: AbstractBaseUser,
    description: str = "",
    file: File | None = None,
    original_filename: str = "",
    received: pipeline.Intake | None = None,
    upload: Any = None,
    url: str = "",
    provider: Claimant | None = None,
    event: PartialDate | None = None,
    captured: tuple[PartialDate | None, PartialDate | None] = (None, None),
    published: PartialDate | None = None,
    collected_on: datetime.date | None = None,
    location_name: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_precision: str = "",
    is_graphic: bool = False,
    uuid: Any = None,
) -> EvidenceItem:
    """Create an evidence item; its file, if any, goes through the intake pipeline (or was
    `received` through it already, by a form that had to show its refusals), or is a
    finished resumable `upload` (its id), taken by the same intake.

    The item starts pending review. A refused file raises ValidationError on "file"; a file
    already stored raises DuplicateEvidence. Either way nothing is written.
    """
    item = _evidence_item(
        investigation=investigation,
        kind=kind,
        title=title,
        by=by,
        description=description,
        url=url,
        provider=provider,
        event=event,
        captured=captured,
        published=published,
        collected_on=collected_on,
        location_name=location_name,
        latitude=latitude,
        longitude=longitude,
        location_precision=location_precision,
        is_graphic=is_graphic,
        uuid=uuid,
    )
    # Validate the record before the file is read, so a bad form costs no intake.
    item.full_clean()
    if upload is not None:  # a finished resumable upload (evidence.resumable)
        if file is not None or received is not None:
            raise ValidationError({"upload": _("Send a file or an upload, not both.")})
        received = resumable.upload_take(user=by, uuid=upload, investigation=investigation)
    if file is None and received is None:
        item.save()
        return created(item, by=by)
    received = received or pipeline.receive(file, original_filename)
    item = evidence_file_attach(item=item, intake=received, by=by)
    if upload is not None:
        resumable.upload_used(upload)
    return item


def evidence_file_attach(
    *, item: EvidenceItem, intake: pipeline.Intake, by: AbstractBaseUser
) -> EvidenceItem:
    """Store a received file as the original of a new item and save the item.

    Everything stored is removed again if the record cannot be saved.
    """
    try:
        evidence_duplicate_check(sha256=intake.sha256, investigation=item.investigation, item=item)
    except DuplicateEvidence:
        intake.discard()
        raise
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
            item.content_credentials = intake.credentials
            if intake.deferred:
                item.processing, item.processing_changed = Processing.QUEUED, timezone.now()
            validated_save(item)
            created(item, by=by)
            custody_record(
                item=item,
                action=CustodyAction.RECEIVED,
                by=by,
                detail=f"{intake.size} bytes, {intake.detection.name}, "
                f"named “{intake.original_filename}”"
                + (f"; {intake.received_as}" if intake.received_as else ""),
            )
            if intake.deferred:
                _processing_enqueue(item)
            else:
                custody_record(
                    item=item,
                    action=CustodyAction.METADATA_EXTRACTED,
                    by=by,
                    detail=_describe(intake.metadata) or intake.detection.media_type,
                )
    except BaseException:
        pipeline.unstore(storage, names)
        raise
    return item


# The work on a stored file, off the request ---------------------------------------------


def _processing_set(pk: int, state: str, error: str = "") -> None:
    EvidenceItem.objects.filter(pk=pk).update(
        processing=state, processing_error=error[:500], processing_changed=timezone.now()
    )


def _processing_enqueue(item: EvidenceItem) -> None:
    from evidence.tasks import process_evidence_file  # the tasks call these services

    enqueue(
        process_evidence_file,
        item.pk,
        unavailable=lambda reason: _processing_set(item.pk, Processing.FAILED, reason),
    )


def processing_stale(item: EvidenceItem) -> bool:
    """Queued or running for so long that the task was surely lost."""
    if item.processing not in (Processing.QUEUED, Processing.PROCESSING):
        return False
    limit = datetime.timedelta(minutes=settings.EVIDENCE_PROCESSING_STALE_MINUTES)
    return item.processing_changed is None or timezone.now() - item.processing_changed > limit


def evidence_file_process(item_pk: int) -> None:
    """Derive an item's metadata, previews and perceptual hash from its stored original.

    Safe to run twice, or after a run that was killed half-way: the previews are written
    at fixed names, and the record changes in one transaction at the end. A file that
    cannot be read leaves the item failed with the reason, for a person to see and retry.
    """
    item = EvidenceItem.objects.filter(pk=item_pk).first()
    if item is None or not item.file or item.processing == Processing.READY:
        return
    _processing_set(item.pk, Processing.PROCESSING)
    storage = item.file.storage
    try:
        with pipeline.stored_copy(item.file) as intake:
            pipeline.derive(intake)
            names = pipeline.store_previews(intake, storage, item.uuid)
    except ValidationError as error:
        _processing_set(item.pk, Processing.FAILED, " ".join(error.messages))
        return
    except FileNotFoundError:
        _processing_set(item.pk, Processing.FAILED, _("The stored file is missing."))
        return
    except StorageUnavailable as error:
        _processing_set(item.pk, Processing.FAILED, str(error))
        return
    except Exception as error:
        # A decoder crash on an odd file must not leave the item "processing" for good.
        log.exception("processing evidence item %s failed", item.pk)
        reason = _("The file could not be processed (%(error)s).") % {
            "error": f"{type(error).__name__}: {error}"
        }
        _processing_set(item.pk, Processing.FAILED, reason)
        return
    with transaction.atomic():
        item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        if item.processing == Processing.READY:  # another run finished first
            return
        item.thumbnail.name = names.get("thumbnail", "")
        item.preview.name = names.get("preview", "")
        item.keyframe_strip.name = names.get("strip", "")
        item.metadata, item.phash = intake.metadata, intake.phash
        item.content_credentials = intake.credentials
        item.processing, item.processing_error = Processing.READY, ""
        item.processing_changed = timezone.now()
        # Derived fields only: no version step, so nobody's edit in progress conflicts.
        item.save(
            update_fields=[
                "thumbnail",
                "preview",
                "keyframe_strip",
                "metadata",
                "content_credentials",
                "phash",
                "processing",
                "processing_error",
                "processing_changed",
            ]
        )
        custody_record(
            item=item,
            action=CustodyAction.METADATA_EXTRACTED,
            by=None,
            detail=_describe(intake.metadata) or item.media_type,
        )


def _sha256_of(field) -> str:
    digest = hashlib.sha256()
    for chunk in stored_chunks(field.storage, field.name):
        digest.update(chunk)
    return digest.hexdigest()


def evidence_verify_all(*, by: AbstractBaseUser | None = None) -> IntegrityCheck:
    """Re-hash every stored original, streaming, against the SHA-256 recorded at intake;
    the result (each file missing or altered) is kept for staff to see. For the command
    verify_evidence, its periodic task and the staff page's "Check now"."""
    started = timezone.now()
    items = (
        EvidenceItem.objects.exclude(file="").only("pk", "title", "file", "sha256").order_by("pk")
    )
    checked, problems = 0, []
    for item in items.iterator(chunk_size=500):
        checked += 1
        try:
            actual = _sha256_of(item.file)
        except FileNotFoundError:
            problems.append(
                {"item": item.pk, "title": item.title, "problem": "missing",
                 "detail": item.file.name}
            )  # fmt: skip
            continue
        if actual != item.sha256:
            problems.append(
                {"item": item.pk, "title": item.title, "problem": "altered",
                 "detail": f"recorded {item.sha256}, now {actual}"}
            )  # fmt: skip
    # Written once, when done: a check cut short (a worker killed) leaves no row behind.
    return IntegrityCheck.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        started_by=by,
        checked=checked,
        problems=problems,
    )


def evidence_verify_request(*, by: AbstractBaseUser) -> None:
    """Start a check in the background (staff only)."""
    if not by.is_staff:
        raise PermissionDenied(_("Only staff can start an integrity check."))
    from evidence.tasks import verify_evidence

    with transaction.atomic():
        enqueue(verify_evidence, by.pk)


@transaction.atomic
def evidence_processing_retry(*, item: EvidenceItem, by: AbstractBaseUser) -> EvidenceItem:
    """Queue the work on a file again: after a failure, or when its task was lost."""
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    role = role_in(by, item.investigation_id)
    if role is None or not role.allows(Role.RESEARCHER):
        raise PermissionDenied(_("Only researchers of the investigation can start this again."))
    if item.processing != Processing.FAILED and not processing_stale(item):
        raise ValidationError(_("This file is not waiting for a retry."), code="not_failed")
    item.processing, item.processing_error = Processing.QUEUED, ""
    item.processing_changed = timezone.now()
    item.save(update_fields=["processing", "processing_error", "processing_changed"])
    _processing_enqueue(item)
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
    unknown = set(data) - set(EVIDENCE_UPDATABLE)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))} here.")
    if item.review_status == ReviewStatus.NEEDS_INFO:
        # The reviewer's note stays, so the next reviewer sees what was asked.
        data = data | {"review_status": ReviewStatus.PENDING}
    model_update(
        instance=item,
        data=data,
        allowed=(*EVIDENCE_UPDATABLE, "review_status"),
        by=by,
        expected_version=expected_version,
    )
    if {"captured", "review_status"} & set(data):
        claims_tally_refresh(claims_of_item(item))
    return item


@transaction.atomic
def evidence_suggestion_accept(
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
        day = PartialDate(datetime.datetime.fromisoformat(exif["original_datetime"]).date())
        data = {"captured": (day, day)}
    else:
        raise ValidationError(_("The file suggests no such value."), code="no_suggestion")
    return evidence_update(item=item, data=data, by=by)


def can_review(user: AbstractBaseUser, investigation: Investigation) -> bool:
    """Whether the user reviews evidence in this investigation (reviewer or lead)."""
    role = role_in(user, investigation.pk)
    return user.is_active and role is not None and role.allows(Role.REVIEWER)


def evidence_review_check(
    *, item: EvidenceItem, by: AbstractBaseUser, status: str, note: str
) -> None:
    """The review rules, for every place a review can be made (queue, admin, API).

    Raises ValidationError naming the field at fault: nobody reviews an item they added
    themselves (four eyes), and rejecting or asking for more information needs a note.
    """
    if status not in ReviewStatus.values:
        raise ValidationError({"review_status": _("Unknown review status.")}, code="invalid")
    if item.created_by_id == by.pk:
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
    by: AbstractBaseUser,
    status: str,
    note: str = "",
    authenticity: str | None = None,
) -> EvidenceItem:
    """Record a review decision by a reviewer (see evidence_review_check for the rules)."""
    if not can_review(by, item.investigation):
        raise PermissionDenied(_("Only reviewers can change the review status of evidence."))
    evidence_review_check(item=item, by=by, status=status, note=note)
    undecided = status == ReviewStatus.PENDING
    return _decision_write(
        item,
        by=by,
        status=status,
        note=note.strip(),
        authenticity=authenticity,
        reviewer=None if undecided else by,
        reviewed_at=None if undecided else timezone.now(),
        detail=" · ".join(filter(None, [str(ReviewStatus(status).label), note.strip()])),
    )


@transaction.atomic
def evidence_review_restore(
    *,
    item: EvidenceItem,
    status: str,
    note: str,
    authenticity: str,
    reviewer: AbstractBaseUser,
    reviewed_at: datetime.datetime | None,
    by: AbstractBaseUser,
) -> EvidenceItem:
    """Keep a decision made on another instance as it was made there (by `reviewer`, at
    `reviewed_at`), for a restored dossier; `by` is who restored it."""
    if status not in ReviewStatus.values:
        raise ValidationError({"review_status": _("Unknown review status.")}, code="invalid")
    return _decision_write(
        item,
        by=by,
        status=status,
        note=note,
        authenticity=authenticity,
        reviewer=reviewer,
        reviewed_at=reviewed_at or timezone.now(),
        detail=f"{ReviewStatus(status).label} by {reviewer} (restored from a dossier)",
    )


def _decision_write(
    item: EvidenceItem, *, by, status, note, authenticity, reviewer, reviewed_at, detail: str
) -> EvidenceItem:
    """Write a review decision: the item's review fields, its history and its custody."""
    before = history.snapshot(item)
    item.review_status, item.review_note = status, note
    if authenticity is not None:
        item.media_authenticity = authenticity
    item.reviewed_by, item.reviewed_at = reviewer, reviewed_at
    validated_save(item)
    entry = history.record(instance=item, user=by, before=before)
    custody_record(item=item, action=CustodyAction.REVIEWED, by=by, detail=detail)
    claims_tally_refresh(claims_of_item(item))
    notices.announce(notices.ReviewDecided(item, by, status, note, entry.seq if entry else None))
    return item


# Links -------------------------------------------------------------------------------------


@transaction.atomic
def evidence_link_create(
    *,
    claim: Claim,
    evidence: EvidenceItem,
    relation: str,
    by: AbstractBaseUser,
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
        created_by=by,
    )
    created(validated_save(link), by=by)
    _custody_linked(link, by).save()
    claims_tally_refresh([claim.pk])
    return link


@transaction.atomic
def evidence_links_create_many(rows: list[dict[str, Any]], *, by: AbstractBaseUser) -> None:
    """Make many links at once (importers), each row holding evidence_link_create()'s
    arguments, `by` aside: checked as one is (see validated_create_many), each recorded
    in the history and in its item's chain of custody. The caller leaves out pairs that
    are linked already."""
    links = [EvidenceLink(created_by=by, **row) for row in rows]
    validated_create_many(links, by=by)
    custody = [_custody_linked(link, by) for link in links]
    CustodyEvent.objects.bulk_create(custody, batch_size=500)
    claims_tally_refresh(link.claim_id for link in links)


def _custody_linked(link: EvidenceLink, by: AbstractBaseUser) -> CustodyEvent:
    claim = link.claim
    detail = f"{link.get_relation_display()} claim #{claim.pk}: {claim.statement}"
    return _custody(item=link.evidence, action=CustodyAction.LINKED, by=by, detail=detail)


@transaction.atomic
def evidence_link_update(
    *, link: EvidenceLink, data: dict[str, Any], by: AbstractBaseUser
) -> EvidenceLink:
    model_update(instance=link, data=data, allowed=LINK_UPDATABLE, by=by)
    claims_tally_refresh([link.claim_id])
    return link


@transaction.atomic
def evidence_link_delete(*, link: EvidenceLink, by: AbstractBaseUser) -> None:
    link.claim.investigation.ensure_open()
    custody_record(
        item=link.evidence,
        action=CustodyAction.UNLINKED,
        by=by,
        detail=f"from claim #{link.claim_id}: {link.claim.statement}",
    )
    deleted(link, by=by)
    claims_tally_refresh([link.claim_id])


def evidence_credentials_backfill(*, progress=None) -> int:
    """Read the content credentials of items received before they were read at intake
    (stored as {}); returns how many were read. Derived data only: no version step, no
    history entry, as with the other things intake reads from a file."""
    items = EvidenceItem.objects.exclude(file="").filter(content_credentials={})
    total, done = items.count(), 0
    for item in items.only("pk", "file", "media_type").order_by("pk").iterator(chunk_size=100):
        try:
            with pipeline.stored_copy(item.file) as intake:
                found = read_credentials(intake.path, item.media_type)
        except FileNotFoundError:
            continue  # verify_evidence reports missing originals
        EvidenceItem.objects.filter(pk=item.pk).update(content_credentials=found)
        done += 1
        if progress:
            progress(done, total)
    return done
