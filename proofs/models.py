"""What proves a dossier or the history to an outsider: the instance's public signing keys
(the private one never enters the database) and the outside witnesses of the history's head."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """A public key this instance signs with, or signed with until `valid_until`."""

    fingerprint = models.CharField(_("fingerprint"), max_length=80, unique=True)
    public_key = models.TextField(_("public key"))  # PEM
    valid_from = models.DateTimeField(_("in use from"))
    valid_until = models.DateTimeField(_("in use until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.fingerprint


class HeadTimestamp(models.Model):
    """An RFC 3161 timestamp of the history's head hash: an outside witness that the chain
    ended in `hash` at entry `seq` no later than the authority's time."""

    seq = models.PositiveBigIntegerField(_("entry"))
    hash = models.CharField(_("head hash"), max_length=64)
    stamped_at = models.DateTimeField(_("timestamped at"))
    authority = models.CharField(_("authority"), max_length=500)
    token = models.BinaryField(_("token"))

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("history timestamp")
        verbose_name_plural = _("history timestamps")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}… @ {self.stamped_at:%Y-%m-%d %H:%M}"
