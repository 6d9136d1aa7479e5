"""Exports and downloads in the security log, under each investigation they may hold, so
that a lead sees their investigation's part."""

from __future__ import annotations

from accounts.models import EventKind
from accounts.services import security_event
from investigations.access import places_of


def export_logged(request, *, what: str, params=None, kind: str = EventKind.EXPORT) -> None:
    """Log an export of a list: under the investigation it is filtered to, or else under
    each investigation the user may see (what the list may contain)."""
    chosen = (params or {}).get("investigation") or ""
    for place in places_of(request.user):
        if place.locked or (chosen and chosen not in (place.slug, str(place.id))):
            continue
        security_event(kind, request=request, investigation=place, detail=what)


def download_logged(request, *, what: str, investigation) -> None:
    security_event(EventKind.DOWNLOAD, request=request, investigation=investigation, detail=what)
