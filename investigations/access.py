"""Who may see and do what, investigation by investigation.

A user's memberships are read once per request (one query, cached on the user object), so
checking them adds no query per row. Outsiders get 404, never 403: a record in another
investigation must not be seen to exist. Members whose role is too low get 403.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.verification import TwoFactorRequired, session_verified
from investigations.models import Investigation, InvestigationStatus, Membership, Role

_CACHE = "_investigation_memberships"
# Set by a scoped API token: the memberships this request may use, narrower than the user's.
SCOPE_ATTR = "_investigation_scope"


@dataclass(frozen=True)
class Place:
    """One of the user's investigations, as the header and the checks need it."""

    id: int
    slug: str
    name: str
    role: Role
    archived: bool
    # It requires two-factor sign-in and this session has not passed it: it is listed (the
    # person may go and set it up) but nothing in it is shown.
    locked: bool = False


def places_of(user) -> list[Place]:
    """The user's investigations with their role, by name; read once a request. A scoped
    API token narrows them to its one investigation (and to viewing, if read-only)."""
    if not getattr(user, "is_authenticated", False):
        return []
    scope = getattr(user, SCOPE_ATTR, None)
    if scope is not None:
        return scope
    cached = getattr(user, _CACHE, None)
    if cached is None:
        rows = (
            Membership.objects.filter(user=user)
            .order_by("investigation__name")
            .values_list(
                "investigation_id",
                "investigation__slug",
                "investigation__name",
                "role",
                "investigation__status",
                "investigation__two_factor_required",
            )
        )
        verified = session_verified(user)
        cached = [
            Place(
                pk,
                slug,
                name,
                Role(role),
                status == InvestigationStatus.ARCHIVED,
                locked=two_factor and not verified,
            )
            for pk, slug, name, role, status, two_factor in rows
        ]
        setattr(user, _CACHE, cached)
    return cached


def roles_of(user) -> dict[int, Role]:
    """{investigation id: role} for the user's memberships that this session may open;
    empty for anonymous users."""
    return {place.id: place.role for place in places_of(user) if not place.locked}


def ensure_unlocked(user, investigation_id: int) -> None:
    """Turn the person away to two-factor sign-in if the investigation requires it."""
    for place in places_of(user):
        if place.id == investigation_id and place.locked:
            raise TwoFactorRequired(
                _(
                    "“%(name)s” requires two-factor sign-in: set it up (or type your code) "
                    "to open it."
                )
                % {"name": place.name}
            )


def forget_roles(user) -> None:
    """Read the memberships again on the next check (after they changed)."""
    user.__dict__.pop(_CACHE, None)


def visible_ids(user, *, at_least: Role = Role.VIEWER) -> list[int]:
    """The investigations the user may see (or do `at_least` in)."""
    return sorted(pk for pk, role in roles_of(user).items() if role.allows(at_least))


def role_in(user, investigation_id: int) -> Role | None:
    return roles_of(user).get(investigation_id)


def can_edit(user, investigation: Investigation) -> bool:
    """Whether the user may change records of the investigation (researcher or more, and
    the investigation not archived): what record pages offer."""
    role = role_in(user, investigation.pk)
    return role is not None and role.allows(Role.RESEARCHER) and not investigation.is_archived


def require(user, investigation: Investigation, needed: Role = Role.VIEWER) -> Role:
    """The user's role in `investigation`: 404 for outsiders, 403 if it is not enough."""
    role = role_in(user, investigation.pk)
    if role is None:
        ensure_unlocked(user, investigation.pk)
        raise Http404
    if not role.allows(needed):
        raise PermissionDenied(
            _("Your role in “%(investigation)s” (%(role)s) does not allow this.")
            % {"investigation": investigation, "role": role.label}
        )
    return role


SESSION_KEY = "investigation"


def current_place(request) -> Place | None:
    """The investigation the user chose to work in (kept in the session), if still theirs;
    None for "all my investigations"."""
    chosen = request.session.get(SESSION_KEY)
    return next((p for p in places_of(request.user) if p.id == chosen and not p.locked), None)


def current_investigation(request) -> Investigation | None:
    place = current_place(request)
    return Investigation.objects.filter(pk=place.id).first() if place else None


def scoped(queryset, user, *, through: str = "investigation", at_least: Role = Role.VIEWER):
    """`queryset` cut to the investigations the user holds `at_least` that role in;
    `through` is the path to the investigation (e.g. "claim__investigation"). `user` None
    is an administrator at the shell (export and import commands), who sees everything."""
    if user is None:
        return queryset
    return queryset.filter(**{f"{through}__in": visible_ids(user, at_least=at_least)})


def scoped_or_404(queryset, user, *, pk: int, through: str = "investigation"):
    """The record if the user may see it, else 404; a record of an investigation that
    requires two-factor sign-in this session has not passed sends the person to it."""
    try:
        return get_object_or_404(scoped(queryset, user, through=through), pk=pk)
    except Http404:
        _turn_away_if_locked(queryset, user, pk=pk, through=through)
        raise


def require_membership(user, needed: Role = Role.VIEWER) -> None:
    """A page that works across investigations: the user must hold `needed` somewhere."""
    if not visible_ids(user, at_least=needed):
        if not visible_ids(user):
            locked = [place for place in places_of(user) if place.locked]
            if locked:
                ensure_unlocked(user, locked[0].id)
            raise PermissionDenied(
                _("You are not a member of any investigation yet: ask a lead to add you.")
            )
        raise PermissionDenied(
            _("This needs the role %(role)s in an investigation.") % {"role": needed.label}
        )


def role_required(needed: Role = Role.VIEWER):
    """View decorator: see require_membership."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            require_membership(request.user, needed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def record_or_404(
    queryset, user, *, pk: int, through: str = "investigation", needed: Role = Role.VIEWER
):
    """The record if the user may see it (404 otherwise), and holds `needed` in its
    investigation (403 otherwise)."""
    record = scoped_or_404(queryset, user, pk=pk, through=through)
    investigation_id = getattr(record, f"{through}_id") if "__" not in through else None
    if investigation_id is None:
        owner = record
        for part in through.split("__")[:-1]:
            owner = getattr(owner, part)
        investigation_id = owner.investigation_id
    role = role_in(user, investigation_id)
    if not role.allows(needed):
        raise PermissionDenied(
            _("Your role here (%(role)s) does not allow this.") % {"role": role.label}
        )
    return record


def _turn_away_if_locked(queryset, user, *, pk: int, through: str) -> None:
    # Only where a locked investigation is involved does this cost a query.
    locked = [place.id for place in places_of(user) if place.locked]
    if not locked:
        return
    found = (
        queryset.filter(pk=pk, **{f"{through}__in": locked})
        .values_list(f"{through}_id" if "__" not in through else through, flat=True)
        .first()
    )
    if found is not None:
        ensure_unlocked(user, found)


def list_query(request) -> str:
    """The list's filters as applied (see list_params), as a query string without the page
    number: what a saved search keeps."""
    params = list_params(request)
    params.pop("page", None)
    return params.urlencode()


def list_params(request):
    """A list page's query, with the current investigation as its default filter."""
    params = request.GET.copy()
    place = current_place(request)
    if place is not None and "investigation" not in params:
        params["investigation"] = place.slug
    return params
