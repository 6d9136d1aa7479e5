"""Who may see and do what, investigation by investigation.

A user's memberships are read once per request (one query, cached on the user object), so
checking them adds no query per row. Outsiders get 404, never 403: a record in another
investigation must not be seen to exist. Members whose role is too low get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from investigations.models import Investigation, Membership, Role

_CACHE = "_investigation_roles"


def roles_of(user) -> dict[int, Role]:
    """{investigation id: role} for the user's memberships; empty for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {
            investigation_id: Role(role)
            for investigation_id, role in Membership.objects.filter(user=user).values_list(
                "investigation_id", "role"
            )
        }
        setattr(user, _CACHE, cached)
    return cached


def forget_roles(user) -> None:
    """Read the memberships again on the next check (after they changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def visible_ids(user, *, at_least: Role = Role.VIEWER) -> list[int]:
    """The investigations the user may see (or do `at_least` in)."""
    return sorted(pk for pk, role in roles_of(user).items() if role.allows(at_least))


def role_in(user, investigation_id: int) -> Role | None:
    return roles_of(user).get(investigation_id)


def require(user, investigation: Investigation, needed: Role = Role.VIEWER) -> Role:
    """The user's role in `investigation`: 404 for outsiders, 403 if it is not enough."""
    role = role_in(user, investigation.pk)
    if role is None:
        raise Http404
    if not role.allows(needed):
        raise PermissionDenied(
            f"Your role in “{investigation}” ({role.label}) does not allow this."
        )
    return role


SESSION_KEY = "investigation"


def current_investigation(request) -> Investigation | None:
    """The investigation the user chose to work in (kept in the session), if still theirs."""
    chosen = request.session.get(SESSION_KEY)
    if chosen is None or role_in(request.user, chosen) is None:
        return None
    return Investigation.objects.filter(pk=chosen).first()
