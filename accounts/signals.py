"""Sign-ins, sign-outs, failures and lockouts into the security log, wherever they happen
(the sign-in page, the admin, the API token endpoint, single sign-on)."""

import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import EventKind
from accounts.services import language_of, security_event
from accounts.sessions import LANGUAGE_SESSION_KEY, SEEN_KEY

# Set on the request by the view that signs a person in: how they proved who they are.
METHOD_ATTR = "sign_in_method"


def _http_request(request):
    # The API hands over Django REST framework's wrapper; the log wants the plain request.
    return getattr(request, "_request", request)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    request = _http_request(request)
    if getattr(request, "session", None) is not None:
        request.session[SEEN_KEY] = int(time.time())
        if language := language_of(user):
            request.session[LANGUAGE_SESSION_KEY] = language
    security_event(
        EventKind.SIGN_IN,
        request=request,
        actor=user,
        detail=getattr(request, METHOD_ATTR, "") if request is not None else "",
    )


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        security_event(EventKind.SIGN_OUT, request=_http_request(request), actor=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    request = _http_request(request)
    # Refused unread because the lockout was already on (the attempt that starts a lockout
    # is counted first, and carries its failure count).
    locked = bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
    username = str(credentials.get("username") or "")
    security_event(
        EventKind.SIGN_IN_FAILED,
        request=request,
        actor=None,
        subject=username,
        detail="refused during a lockout" if locked else "wrong username or password",
    )
    # Each failure costs the one who made it a moment: guessing from one client is slowed
    # before the lockout stops it (during the lockout, refusals are answered at once: the
    # password was not even read, and a server thread is not kept waiting for nothing).
    if settings.SIGN_IN_FAILURE_DELAY > 0 and not locked:
        time.sleep(settings.SIGN_IN_FAILURE_DELAY)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # an attempt during the lockout: logged as a refused sign-in, not a new lockout
    security_event(
        EventKind.LOCKED_OUT,
        request=_http_request(request),
        actor=None,
        subject=str(username or ""),
        detail=f"after {settings.AXES_FAILURE_LIMIT} failed sign-ins",
    )
