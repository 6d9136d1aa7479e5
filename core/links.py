"""Addresses that leave the site: in dossiers and CSV exports, a link must work elsewhere."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on this instance, as CORROBORATE_BASE_URL says it is reached."""
    return settings.CORROBORATE_BASE_URL.rstrip("/") + path
