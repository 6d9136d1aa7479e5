"""Imports started from the web, run by a task: what was asked, by whom, and how it went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import RequestedWork
from investigations.models import Investigation


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class WebImport(RequestedWork):
    """A confirmed CSV import: the previewed text, imported by a task all or nothing."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("CSV text"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.QUEUED
    )
    created_count = models.PositiveIntegerField(_("claims created"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("web import")
        verbose_name_plural = _("web imports")

    def __str__(self) -> str:
        return f"{self.rows} rows into {self.investigation} ({self.get_state_display()})"
