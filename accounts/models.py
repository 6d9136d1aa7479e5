"""The security log, and sessions that know their user (so that a user can be signed out
everywhere at once)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOCKOUT_LIFTED = "lockout_lifted", _("Lockout lifted")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", _("Signed out everywhere")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor sign-in turned on")
    TWO_FACTOR_REMOVED = "two_factor_removed", _("Two-factor sign-in turned off")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset by staff")
    BACKUP_CODES_MADE = "backup_codes_made", _("New backup codes made")
    BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
    PASSWORD_RESET_ASKED = "password_reset_asked", _("Password reset asked for")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TOKEN_CREATED = "token_created", _("API token made")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    MEMBER_ADDED = "member_added", _("Member added")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    TWO_FACTOR_POLICY = "two_factor_policy", _("Two-factor requirement changed")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")


class SecurityEventQuerySet(models.QuerySet):
    # The log is append-only: rows are never changed or removed through the ORM.
    def update(self, **kwargs):
        raise TypeError("The security log is append-only.")

    def delete(self):
        raise TypeError("The security log is append-only.")


class SecurityEvent(models.Model):
    """One entry of the security log. Names are copied, not only linked: an entry still
    says who it was about after the account or investigation is renamed or gone."""

    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    # The account the event concerns: the name typed at a failed sign-in (which may not
    # exist), the member added, the user whose two-factor sign-in was reset.
    subject_name = models.CharField(_("account"), max_length=150, blank=True, db_index=True)
    # Plain ids (no foreign key): this app sits below investigations, and an entry outlives
    # what it names. Indexed for a lead's view of their own investigations' part.
    investigation_id = models.BigIntegerField(_("investigation id"), null=True, blank=True)
    investigation_name = models.CharField(_("investigation"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [
            # A lead's log page: their investigations' entries, newest first.
            models.Index(fields=["investigation_id", "-created"], name="security_inv_created"),
            # The log filtered by event, newest first.
            models.Index(fields=["kind", "-created"], name="security_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.subject_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The security log is append-only.")


class Session(AbstractBaseSession):
    """Django's database session with its user beside it (set when it is saved), so that
    "sign out everywhere" deletes a user's sessions without reading every session."""

    user_id = models.BigIntegerField(_("user id"), null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")


class Preferences(models.Model):
    """What a person chose for themselves: the interface's language (empty: the browser's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or 'browser'}"
