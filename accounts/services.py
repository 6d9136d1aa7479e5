"""Writes about accounts: the security log, two-factor devices, lockouts and sessions.

Every writer (the sign-in pages, the admin, the API, commands) calls these, so each event
is logged in one place.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EventKind, SecurityEvent, Session

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def request_address(request) -> str:
    """The address a request came from: the connection's, or behind our proxy the one it
    appended to X-Forwarded-For (the last: earlier ones are whatever the client sent, and a
    client must not choose the address its failed sign-ins are counted under)."""
    meta = getattr(request, "META", {})
    if settings.ADDRESS_FROM_PROXY:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return meta.get("REMOTE_ADDR", "")


def client_address(request) -> str | None:
    """The address for the log, counted as the lockouts count it."""
    if request is None:
        return None
    return request_address(request) or None


def security_event(
    kind: str,
    *,
    request=None,
    actor=None,
    subject=None,
    investigation=None,
    detail: str = "",
) -> SecurityEvent:
    """Append one entry to the security log. `actor` defaults to the request's user;
    `subject` is an account or a typed name; `investigation` anything with id and name."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    if subject is None:
        subject_name = actor.get_username() if actor is not None else ""
    else:
        subject_name = subject if isinstance(subject, str) else subject.get_username()
    return SecurityEvent.objects.create(
        kind=EventKind(kind),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        subject_name=subject_name[:150],
        investigation_id=getattr(investigation, "id", None),
        investigation_name=str(getattr(investigation, "name", ""))[:200],
        ip_address=client_address(request),
        detail=detail[:500],
    )


def _ensure_self_or_staff(user, by) -> None:
    if by is not None and by.pk != user.pk and not (by.is_staff or by.is_superuser):
        raise PermissionDenied(_("Only staff may do this for another account."))


# Sessions ------------------------------------------------------------------------------


def sessions_of(user) -> list[Session]:
    """The user's sessions that have not expired, newest expiry first."""
    return list(
        Session.objects.filter(user_id=user.pk, expire_date__gt=timezone.now()).order_by(
            "-expire_date"
        )
    )


def sessions_end(user) -> int:
    count, _rows = Session.objects.filter(user_id=user.pk).delete()
    return count


def sign_out_everywhere(*, user, by, request=None) -> int:
    """End every session of `user` (on every browser and device); returns how many. API
    tokens are not sessions: their owner revokes them on the tokens page."""
    _ensure_self_or_staff(user, by)
    with transaction.atomic():
        count = sessions_end(user)
        detail = _("%(count)s session(s) ended") % {"count": count}
        security_event(
            EventKind.SIGNED_OUT_EVERYWHERE, request=request, actor=by, subject=user, detail=detail
        )
    return count


# Lockouts ------------------------------------------------------------------------------


def lockout_lift(*, by, username: str = "", ip_address: str = "", request=None) -> int:
    """Forget the failed sign-ins of an account name, of an address, or of both (staff),
    so that they may try again now; one log entry. Returns how many records went."""
    if by is not None and not (by.is_staff or by.is_superuser):
        raise PermissionDenied(_("Only staff may lift a lockout."))
    from axes.utils import reset

    with transaction.atomic():
        # Each separately: axes' reset with both would forget only the rows having both.
        count = (reset(username=username) if username else 0) + (
            reset(ip=ip_address) if ip_address else 0
        )
        security_event(
            EventKind.LOCKOUT_LIFTED,
            request=request,
            actor=by,
            subject=username,
            detail=ip_address,
        )
    return count


# Two-factor sign-in ---------------------------------------------------------------------


def two_factor_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_pending_device(user) -> TOTPDevice:
    """The authenticator app being set up: an unconfirmed device, made once and kept until
    the person types a code from it (reloading the page keeps the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def _backup_codes_replace(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_confirm(*, user, code: str, request=None) -> list[str]:
    """Turn two-factor sign-in on once `code` from the new authenticator app is right;
    returns the backup codes, shown once. The session counts as verified from now on."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start again: open the set-up page once more."), code="no_device")
    if not device.verify_token(_digits(code)):
        raise ValidationError(
            _("That code is not right. Check the time on your phone and type the newest code."),
            code="wrong_code",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(user)
    security_event(EventKind.TWO_FACTOR_ENROLLED, request=request, actor=user)
    if request is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    return codes


@transaction.atomic
def backup_codes_make(*, user, request=None) -> list[str]:
    """New backup codes for a user with two-factor sign-in; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Turn on two-factor sign-in first."), code="not_enrolled")
    codes = _backup_codes_replace(user)
    security_event(EventKind.BACKUP_CODES_MADE, request=request, actor=user)
    return codes


@transaction.atomic
def two_factor_remove(*, user, by, request=None) -> None:
    """Turn two-factor sign-in off: by the user themself (where nothing requires it), or
    reset by staff for a user who lost their phone and codes (they enrol again)."""
    _ensure_self_or_staff(user, by)
    if by is not None and by.pk == user.pk and two_factor_required_for(user):
        raise PermissionDenied(_("Two-factor sign-in is required for your account."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    by_self = by is not None and by.pk == user.pk
    if not by_self:
        # A reset (a lost phone, a stolen one): sessions that passed with the old device end.
        sessions_end(user)
    kind = EventKind.TWO_FACTOR_REMOVED if by_self else EventKind.TWO_FACTOR_RESET
    security_event(kind, request=request, actor=by, subject=user)


def two_factor_required_for(user) -> bool:
    """Whether the instance requires two-factor sign-in of this account (staff, with
    TWO_FACTOR_REQUIRED_FOR_STAFF). Investigations may require it of their members too."""
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser))


def _digits(code: str) -> str:
    return "".join(code.split())


def _devices(user) -> list:
    """The user's confirmed devices: the authenticator app, then the backup codes."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def two_factor_check(*, user, code: str, request=None):
    """The device that accepts `code` (an app code, or a backup code, used up here), or
    None. Failures are logged; each device slows down repeated wrong codes by itself."""
    code = _digits(code)
    for device in _devices(user):
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            continue
        with transaction.atomic():
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    security_event(
                        EventKind.BACKUP_CODE_USED,
                        request=request,
                        actor=user,
                        detail=_("%(left)s backup code(s) left") % {"left": left},
                    )
                return device
    security_event(EventKind.TWO_FACTOR_FAILED, request=request, actor=user)
    return None


def two_factor_throttled(user) -> bool:
    """Whether every device of the user is waiting out a run of wrong codes."""
    devices = _devices(user)
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


def language_set(*, user, language: str) -> str:
    """Remember the interface language a person chose ("" follows the browser)."""
    from accounts.models import Preferences

    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not offered.")}, code="invalid")
    Preferences.objects.update_or_create(user=user, defaults={"language": language})
    return language


def language_of(user) -> str:
    """The language a person chose, "" when none (read at sign-in; the session keeps it)."""
    from accounts.models import Preferences

    return Preferences.objects.filter(user=user).values_list("language", flat=True).first() or ""
