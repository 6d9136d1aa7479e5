"""Scoped API tokens: bound to one investigation, read-only or read-write, named, shown
once, revocable. Only a hash of the key is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from investigations.models import Investigation

PREFIX = "cs_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class ScopedToken(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="scoped_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    writable = models.BooleanField(_("may write"), default=False)
    # The key itself is shown once, when made; a stolen database does not hold it.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.investigation}, {'read-write' if self.writable else 'read-only'})"
        )
