"""Dossiers prepared in the background: a big claim's PDF or ZIP, or the ZIP of a list's
selection, kept for a while for the person who asked for it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import RequestedWork


class Preparation(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class DossierKind(models.TextChoices):
    PDF = "pdf", _("PDF dossier")
    ZIP = "zip", _("ZIP bundle")
    SELECTION = "selection", _("ZIP of dossiers")


class PreparedDossier(RequestedWork):
    """One request for a dossier, its state, and once ready the file (one person's own)."""

    kind = models.CharField(_("kind"), max_length=10, choices=DossierKind.choices)
    label = models.CharField(_("what"), max_length=300)
    # The claims, fixed when asked: the selection as it was, not as the list is later.
    claims = models.JSONField(_("claims"), default=list)
    # Every investigation those claims belong to: the requester must still be in each.
    investigations = models.JSONField(_("investigations"), default=list)
    include_unreviewed = models.BooleanField(_("includes unreviewed evidence"), default=False)
    # The language of its headings, labels and dates (the requester's when they asked).
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(
        _("state"), max_length=12, choices=Preparation.choices, default=Preparation.QUEUED
    )
    file = models.FileField(_("file"), max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # [evidence id, claim id] of every file in it, for the custody log at each download.
    contents = models.JSONField(_("evidence files in it"), default=list)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("prepared dossier")
        verbose_name_plural = _("prepared dossiers")
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="dossier_mine_idx"),
            models.Index(
                fields=["expires_at"],
                name="dossier_expiring_idx",
                condition=Q(state="ready"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
