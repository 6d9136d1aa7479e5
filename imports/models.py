"""Imports started from the web, run by a task: what was asked, by whom, and how it went."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investigations.models import Investigation


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class WebImport(models.Model):
    """A confirmed CSV import: the previewed text, imported by a task all or nothing."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("CSV text"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.QUEUED
    )
    error = models.CharField(_("why it failed"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("state since"), default=timezone.now)
    created_count = models.PositiveIntegerField(_("claims created"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("web import")
        verbose_name_plural = _("web imports")

    def __str__(self) -> str:
        return f"{self.rows} rows into {self.investigation} ({self.get_state_display()})"

    @property
    def in_progress(self) -> bool:
        return self.state in (ImportState.QUEUED, ImportState.PROCESSING)
