"""What a locked-out person sees (AXES_LOCKOUT_CALLABLE): when to try again, the same
words whether or not the account exists, JSON under /api/."""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

STATUS = 429


def locked_until(request, credentials=None) -> datetime | None:
    """When the lockout of this client (by its address or the name it typed) ends."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    username = get_client_username(request, credentials)
    address = get_client_ip_address(request)
    match = Q(ip_address=address)
    if username:
        match |= Q(username=username)
    last = AccessAttempt.objects.filter(match).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off


def message(until: datetime | None) -> str:
    if until is None:
        return _("Too many failed sign-ins. Ask staff to lift the lockout.")
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    return _(
        "Too many failed sign-ins. Try again after %(time)s UTC (in about %(minutes)s "
        "minute(s)), or ask staff to lift the lockout."
    ) % {"time": date_format(until, "H:i"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    until = locked_until(request, credentials)
    text = message(until)
    path = getattr(request, "path_info", "")
    if path.startswith("/api/"):
        response = JsonResponse({"detail": text, "locked_until": until}, status=STATUS)
    else:
        response = render(request, "accounts/locked_out.html", {"message": text}, status=STATUS)
    if until is not None:
        response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response
