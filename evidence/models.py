"""Evidence items, their files and provenance, their links to claims, and their review."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Claimant
from core import search
from core.dates import (
    PartialDateAttribute,
    PartialDateRangeAttribute,
    PartialDatesModel,
    normalised_date_constraint,
    precision_field,
)
from core.history import Tracked
from core.models import AppendOnlyModel, AuthoredModel, VersionedModel
from investigations.models import Investigation


class EvidenceKind(models.TextChoices):
    SATELLITE_IMAGE = "satellite_image", _("Satellite image")
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    SOCIAL_MEDIA_POST = "social_media_post", _("Social-media post")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    VICINITY = "vicinity", _("Vicinity")
    LOCALITY = "locality", _("Locality")
    REGION = "region", _("Region")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NEEDS_INFO = "needs_info", _("Needs more information")


class MediaAuthenticity(models.TextChoices):
    """schema.org's mediaAuthenticityCategory values, for MediaReview."""

    ORIGINAL = "OriginalMediaContent", _("Original media content")
    DECONTEXTUALIZED = "DecontextualizedContent", _("Decontextualized (real, but out of context)")
    EDITED_OR_CROPPED = "EditedOrCroppedContent", _("Edited or cropped")
    TRANSFORMED = "TransformedContent", _("Transformed (altered, composited, synthetic)")
    STAGED = "StagedContent", _("Staged")
    SATIRE = "SatireOrParodyContent", _("Satire or parody")


def evidence_upload_to(instance: EvidenceItem, filename: str) -> str:
    # A generated name with no extension: nothing a client chose reaches the file system,
    # and no web server could guess an executable type from it. The original name is
    # kept in EvidenceItem.original_filename.
    name = uuid.uuid4().hex
    return f"evidence/originals/{name[:2]}/{name}"


# The database's guard for the capture range; EvidenceItem.clean() names the same rule for
# the field it concerns.
CAPTURE_RANGE_ORDERED = models.CheckConstraint(
    condition=Q(captured_from__isnull=True)
    | Q(captured_to__isnull=True)
    | Q(captured_from__lte=F("captured_to")),
    name="evidence_capture_range_ordered",
    violation_error_message=_("The capture range must not end before it starts."),
)


class Processing(models.TextChoices):
    """Where the work on an item's file stands (previews, metadata: evidence.tasks)."""

    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# Not yet decided: pending, or sent back to its author with a question.
AWAITING_REVIEW = (ReviewStatus.PENDING, ReviewStatus.NEEDS_INFO)


class EvidenceItemQuerySet(models.QuerySet):
    def awaiting_review(self) -> EvidenceItemQuerySet:
        """Items a reviewer still has to decide on (the review queue)."""
        return self.filter(review_status__in=EvidenceItem.AWAITING_REVIEW)


class EvidenceItem(PartialDatesModel, VersionedModel, AuthoredModel):
    """A satellite image, photo, video, document or statement that bears on claims."""

    # Derived from the file at intake, never edited: not part of what the history compares.
    # Not yet decided: pending, or sent back to its author with a question. Such items are
    # not counted in a claim's balance and are marked UNREVIEWED in dossiers.
    AWAITING_REVIEW = AWAITING_REVIEW

    HISTORY = Tracked(
        shown_on={"evidence": "pk"},
        skip=frozenset(
            {
                "metadata",
                "content_credentials",
                "phash",
                "thumbnail",
                "preview",
                "keyframe_strip",
                "search_text",
                "processing",
                "processing_error",
                "processing_changed",
            }
        ),
    )

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    # EXIF-free, downscaled copies made at intake; the original is never altered. For a
    # video they show the poster frame, and the strip shows keyframes across it.
    thumbnail = models.FileField(_("thumbnail"), max_length=255, blank=True, editable=False)
    preview = models.FileField(_("preview"), max_length=255, blank=True, editable=False)
    keyframe_strip = models.FileField(
        _("keyframe strip"), max_length=255, blank=True, editable=False
    )
    metadata = models.JSONField(_("extracted metadata"), default=dict, blank=True, editable=False)
    # 64-bit difference hash of the picture, for "looks like" (evidence.intake).
    phash = models.BigIntegerField(_("perceptual hash"), null=True, blank=True, editable=False)
    # C2PA content credentials, read and validated at intake (evidence.credentials): {} until
    # the file was read, {"state": "none"} for a file without any.
    content_credentials = models.JSONField(
        _("content credentials"), default=dict, blank=True, editable=False
    )
    # The work on the file after it was stored: only evidence services change these.
    processing = models.CharField(
        _("processing"),
        max_length=12,
        choices=Processing.choices,
        default=Processing.READY,
        editable=False,
    )
    processing_error = models.CharField(
        _("why processing failed"), max_length=500, blank=True, editable=False
    )
    processing_changed = models.DateTimeField(
        _("processing state since"), null=True, blank=True, editable=False
    )
    is_graphic = models.BooleanField(
        _("graphic content"),
        default=False,
        help_text=_("Blur its previews until the viewer chooses to see them."),
    )
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    provider = models.ForeignKey(
        Claimant,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_provided",
    )

    # Four distinct dates: what happened, when it was recorded, when it was made
    # public, and when we got hold of it.
    event_on = models.DateField(_("event date"), null=True, blank=True)
    event_on_precision = precision_field(_("precision of the event date"))
    event = PartialDateAttribute("event_on", "event_on_precision")
    captured_from = models.DateField(_("captured from"), null=True, blank=True)
    captured_to = models.DateField(_("captured to"), null=True, blank=True)
    captured_precision = precision_field(_("precision of the capture dates"))
    captured = PartialDateRangeAttribute("captured_from", "captured_to", "captured_precision")
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_on_precision = precision_field(_("precision of the publication date"))
    published = PartialDateAttribute("published_on", "published_on_precision")
    collected_on = models.DateField(_("collected on"), null=True, blank=True)

    location_name = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_precision = models.CharField(
        _("location precision"), max_length=10, choices=LocationPrecision.choices, blank=True
    )

    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    media_authenticity = models.CharField(
        _("media authenticity"),
        max_length=30,
        choices=MediaAuthenticity.choices,
        blank=True,
        help_text=_("The reviewer's finding for an image or video (schema.org MediaReview)."),
    )

    # Filled by the intake pipeline from the stored bytes, never from what the client said.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    media_type = models.CharField(_("detected media type"), max_length=100, blank=True)

    # What a search finds the item by (core.search), case-folded; derived in clean().
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = EvidenceItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        permissions = [("review_evidenceitem", _("Can review evidence items"))]
        indexes = [
            # The review queue (and the dashboard's part of it): items awaiting review,
            # oldest first; counted through it too.
            models.Index(
                fields=["created", "id"],
                name="evidence_awaiting_review_idx",
                condition=Q(review_status__in=AWAITING_REVIEW),
            ),
            # The evidence list in its own order, newest first.
            models.Index(fields=["-created", "-id"], name="evidence_newest_idx"),
            # The dashboard's "my evidence", latest change first.
            models.Index(fields=["created_by", "-updated"], name="evidence_mine_idx"),
            # The dashboard's reviewers' questions to me.
            models.Index(
                fields=["created_by", "reviewed_at"],
                name="evidence_needs_info_idx",
                condition=Q(review_status=ReviewStatus.NEEDS_INFO),
            ),
            # Work not done yet, oldest first: the sweep for tasks that were lost.
            models.Index(
                fields=["processing_changed"],
                name="evidence_unprocessed_idx",
                condition=~Q(processing=Processing.READY),
            ),
        ]
        constraints = [
            # One item per file within an investigation: also the index behind duplicate
            # detection at upload. Another investigation may hold the same file, and
            # nothing here may reveal that it does.
            models.UniqueConstraint(
                fields=["investigation", "sha256"],
                condition=~Q(sha256=""),
                name="evidence_sha256_unique_per_investigation",
                violation_error_message=_("This file is already evidence in this investigation."),
            ),
            CAPTURE_RANGE_ORDERED,
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="evidence_latitude_in_range",
                violation_error_message=_("Latitude must be between -90 and 90 degrees."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="evidence_longitude_in_range",
                violation_error_message=_("Longitude must be between -180 and 180 degrees."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="evidence_coordinates_paired",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(review_status=ReviewStatus.PENDING)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="evidence_review_has_reviewer",
                violation_error_message=_("A reviewed item must record who reviewed it and when."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="evidence_title_not_blank",
                violation_error_message=_("An evidence item needs a title."),
            ),
            normalised_date_constraint(
                "event_on", "event_on_precision", "evidence_event_on_normalised"
            ),
            normalised_date_constraint(
                "captured_from", "captured_precision", "evidence_captured_from_normalised"
            ),
            normalised_date_constraint(
                "captured_to", "captured_precision", "evidence_captured_to_normalised"
            ),
            normalised_date_constraint(
                "published_on", "published_on_precision", "evidence_published_on_normalised"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The capture range's rules, for every writer: an end needs a start, both ends
        share one precision, and the range does not run backwards. And the search
        document, from the fields it is made of."""
        super().clean()
        if self.investigation_id is not None:
            self.investigation.ensure_open()
        self.search_text = self.search_document()
        if type(self).captured.mismatched(self):
            raise ValidationError(
                {"captured_to": _("Give both ends of the capture range to the same precision.")},
                code="capture_precision",
            )
        if self.captured_to is not None and self.captured_from is None:
            raise ValidationError(
                {"captured_from": _("Give the start of the capture range too.")},
                code="capture_start_missing",
            )
        if self.captured_from and self.captured_to and self.captured_to < self.captured_from:
            raise ValidationError(
                {"captured_to": CAPTURE_RANGE_ORDERED.violation_error_message},
                code="capture_reversed",
            )

    def search_document(self) -> str:
        """What a search finds the item by: title, description, location, file name, URL."""
        parts = (self.title, self.description, self.location_name, self.original_filename)
        return search.document(*parts, self.url)

    @classmethod
    def shortened_title(cls, text: str) -> str:
        """A title that fits: longer text from an importer is cut, with an ellipsis."""
        text = text.strip()
        limit = cls._meta.get_field("title").max_length
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @property
    def is_awaiting_review(self) -> bool:
        return self.review_status in self.AWAITING_REVIEW

    @property
    def is_image_or_video(self) -> bool:
        """Media that a MediaReview can describe: by its file's type, else by its kind."""
        if self.media_type:
            return self.media_type.startswith(("image/", "video/"))
        return self.kind in (EvidenceKind.PHOTO, EvidenceKind.SATELLITE_IMAGE, EvidenceKind.VIDEO)

    @property
    def is_placeholder(self) -> bool:
        return self.title.upper().startswith("PLACEHOLDER")


class Relation(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    CONTEXT = "context", _("Context")


class Strength(models.TextChoices):
    WEAK = "weak", _("Weak")
    MODERATE = "moderate", _("Moderate")
    STRONG = "strong", _("Strong")

    @property
    def weight(self) -> int:
        """What an approved link of this strength weighs in a claim's evidence balance."""
        return _WEIGHTS[self]


_WEIGHTS = {Strength.WEAK: 1, Strength.MODERATE: 2, Strength.STRONG: 3}


class EvidenceLink(AuthoredModel):
    """How one evidence item bears on one claim."""

    HISTORY = Tracked(shown_on={"claim": "claim_id", "evidence": "evidence_id"})

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="evidence_links"
    )
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("evidence item"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    strength = models.CharField(
        _("strength"), max_length=10, choices=Strength.choices, default=Strength.MODERATE
    )
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["claim", "relation", "pk"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "evidence"],
                name="evidence_link_unique_pair",
                violation_error_message=_("This evidence item is already linked to this claim."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} {self.get_relation_display().lower()} {self.claim}"

    def clean(self) -> None:
        super().clean()
        if self.claim_id is None or self.evidence_id is None:
            return
        self.claim.investigation.ensure_open()
        if self.claim.investigation_id != self.evidence.investigation_id:
            raise ValidationError(
                {"evidence": _("Only evidence of the claim's own investigation can be linked.")},
                code="other_investigation",
            )


class CustodyAction(models.TextChoices):
    RECEIVED = "received", _("Received")
    METADATA_EXTRACTED = "metadata_extracted", _("Metadata extracted")
    DOWNLOADED = "downloaded", _("Downloaded")
    REVIEWED = "reviewed", _("Reviewed")
    LINKED = "linked", _("Linked to a claim")
    UNLINKED = "unlinked", _("Unlinked from a claim")
    EXPORTED = "exported", _("Exported")


class CustodyEvent(AppendOnlyModel):
    """One step in an evidence item's chain of custody. Entries are only ever added."""

    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("evidence item"),
        on_delete=models.PROTECT,
        related_name="custody",
    )
    action = models.CharField(_("action"), max_length=20, choices=CustodyAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    sha256 = models.CharField(_("SHA-256 at that moment"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.evidence} · {self.at:%Y-%m-%d %H:%M}"


class IntegrityCheck(models.Model):
    """One re-hash of every stored original (verify_evidence): when, how many, and each file
    found missing or altered. Shown to staff; started on a schedule or by hand."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the schedule started it."),
    )
    checked = models.PositiveIntegerField(_("files checked"), default=0)
    # [{"item": id, "title": ..., "problem": "missing" | "altered", "detail": ...}, ...]
    problems = models.JSONField(_("problems"), default=list)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("integrity check")
        verbose_name_plural = _("integrity checks")

    def __str__(self) -> str:
        return (
            f"{self.started_at:%Y-%m-%d %H:%M}: {self.checked} files, {len(self.problems)} problems"
        )


class UploadState(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    COMPLETE = "complete", _("Complete")
    REFUSED = "refused", _("Refused")
    USED = "used", _("Used")


class Upload(models.Model):
    """A file sent in parts that survives dropped connections (evidence.resumable): its
    bytes wait in the scratch folder until an evidence item takes them."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("abandoned after"))
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    length = models.PositiveBigIntegerField(_("declared size"))
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    # What the client said the file's SHA-256 is (checked when the last byte arrives), and
    # what it is.
    announced_sha256 = models.CharField(_("announced SHA-256"), max_length=64, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=UploadState.choices, default=UploadState.RECEIVING
    )
    reason = models.CharField(_("why it was refused"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [models.Index(fields=["expires_at"], name="upload_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.filename or self.uuid} ({self.offset}/{self.length})"
