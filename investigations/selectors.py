"""Reads of investigations: the ones a user may work in, and the one a command names."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import SecurityEvent
from investigations.access import places_of, visible_ids
from investigations.models import Investigation, InvestigationStatus, Role


def investigations_of(user, *, at_least: Role = Role.VIEWER) -> QuerySet[Investigation]:
    """The investigations the user holds `at_least` that role in, by name."""
    return Investigation.objects.filter(pk__in=visible_ids(user, at_least=at_least))


def writable_investigations(user) -> QuerySet[Investigation]:
    """Where the user may add records: researcher or more, and not archived."""
    return investigations_of(user, at_least=Role.RESEARCHER).filter(
        status=InvestigationStatus.ACTIVE
    )


def sole_writable_investigation(user) -> Investigation | None:
    """The one investigation the user may add to, when there is exactly one: forms and the
    API then need not ask."""
    options = list(writable_investigations(user)[:2])
    return options[0] if len(options) == 1 else None


def investigation_for_command(slug: str | None) -> Investigation:
    """The investigation an import or restore writes into: `--investigation SLUG`, which
    may be left out while the instance has only one."""
    if slug:
        return investigation_named(slug)
    only = list(Investigation.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    if not only:
        raise CommandError(
            _(
                "There is no investigation yet: create one first "
                '(manage.py investigation create SLUG --name "NAME").'
            )
        )
    raise CommandError(
        _("This instance has several investigations: name one with --investigation.")
    )


def investigation_named(slug: str) -> Investigation:
    """The investigation a command names by its slug."""
    found = Investigation.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(
            _("No investigation “%(slug)s” (see: manage.py investigation list).") % {"slug": slug}
        )
    return found


def security_log_of(user):
    """The security log a user may read, and the investigations they may filter it by:
    staff read all of it, a lead the entries of the investigations they lead."""
    if user.is_staff or user.is_superuser:
        rows = Investigation.objects.order_by("name").values_list("pk", "name")
        return SecurityEvent.objects.all(), list(rows)
    led = [place for place in places_of(user) if place.role == Role.LEAD and not place.locked]
    if not led:
        raise PermissionDenied(
            _("The security log is for staff, and for leads of an investigation.")
        )
    events = SecurityEvent.objects.filter(investigation_id__in=[place.id for place in led])
    return events, [(place.id, place.name) for place in led]
