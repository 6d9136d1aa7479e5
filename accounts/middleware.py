"""Two-factor sign-in where it is required, sessions that end when left idle, and the
Permissions-Policy header."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.services import two_factor_enabled, two_factor_required_for
from accounts.sessions import LANGUAGE_SESSION_KEY, SEEN_EVERY, SEEN_KEY
from accounts.verification import VERIFIED_ATTR, TwoFactorRequired

# Pages a person who must set up two-factor sign-in may still open.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password/",
    "/accounts/security/",
    "/accounts/language/",
    "/static/",
    "/healthz",
)


def _accepted(header: str) -> str | None:
    """The first language of an Accept-Language header that the interface speaks."""
    tags = []
    for part in header.split(","):
        tag, _sep, quality = part.strip().partition(";q=")
        try:
            tags.append((float(quality or 1), tag.strip()))
        except ValueError:
            continue
    for _quality, tag in sorted(tags, key=lambda pair: -pair[0]):
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


def preferred_language(get_response):
    """Speak the language the signed-in person chose, over the browser's Accept-Language;
    but to an API client, the language its request names."""

    def middleware(request):
        if request.path_info.startswith("/api/"):
            chosen = _accepted(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        else:
            chosen = getattr(request, "session", {}).get(LANGUAGE_SESSION_KEY)
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return get_response(request)

    return middleware


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def two_factor_page(request, why: str):
    """Where to send a person a page turned away: set it up, or (set up already, but not
    for this session) type a code; then back to the page."""
    target = (
        "accounts:two_factor_verify"
        if two_factor_enabled(request.user)
        else "accounts:two_factor_setup"
    )
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": why}, status=403)
    messages.warning(request, why)
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            setattr(user, VERIFIED_ATTR, DEVICE_ID_SESSION_KEY in session)
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= SEEN_EVERY:
                session[SEEN_KEY] = now  # saved: the idle clock starts again
            if (
                not getattr(user, VERIFIED_ATTR)
                and two_factor_required_for(user)
                and not request.path_info.startswith(OPEN_PREFIXES)
            ):
                return two_factor_page(
                    request, _("Staff accounts need two-factor sign-in: set it up to go on.")
                )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TwoFactorRequired) and request.user.is_authenticated:
            return two_factor_page(request, exception.why)
        return None
