"""Abstract bases shared by the claims and evidence apps."""

import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class AuthoredModel(TimeStampedModel):
    """A record somebody wrote; who did is kept even after they leave (PROTECT)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Counts saves, so that an edit made on a stale page is detected instead of lost."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


GENESIS_HASH = "0" * 64


class RequestedWork(models.Model):
    """Work a person asked for that a task carries out (a prepared dossier, an import):
    who asked and when, where it stands since when, and why it failed. Subclasses name
    their states in a `state` field; "queued" and "processing" mean not done yet."""

    IN_PROGRESS = ("queued", "processing")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    error = models.CharField(_("why it failed"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("state since"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def in_progress(self) -> bool:
        return self.state in self.IN_PROGRESS

    @classmethod
    def set_state(cls, pk: int, state: str, error: str = "", **fields) -> None:
        """Move a row to `state` (with its reason), in one UPDATE: for the services."""
        cls.objects.filter(pk=pk).update(
            state=state, error=error[:500], changed_at=timezone.now(), **fields
        )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only.")


class AppendOnlyModel(models.Model):
    """A log: rows are added, never changed or removed, through the ORM at least.

    An invariant, not business logic: the log is a record of what happened.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")


class HistoryEntry(AppendOnlyModel):
    """One change to the record: who, when, what, from what to what. Hash-chained.

    Each entry's hash covers its own content and the previous entry's hash, so editing,
    removing or inserting an entry breaks the chain (`manage.py verify_log`). Users are
    kept as id and name, not a foreign key: deleting a user must not rewrite history.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("at"))
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10)  # created, changed, deleted
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=300)
    # The pages a change is shown on. Plain integers: the history outlives the records.
    claim_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    evidence_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    claimant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model} {self.object_repr}"

    @property
    def record_type(self) -> str:
        """ "Claim", "Evidence link"...: the record's kind, for people."""
        try:
            return str(apps.get_model(self.model)._meta.verbose_name).capitalize()
        except LookupError:
            return self.model


class HistoryHead(models.Model):
    """The chain's last sequence number and hash, in one row that writers lock in turn.

    Also lets verify_log notice entries cut from the end of the chain.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("history head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
