"""Writes to investigations and memberships, and the rule every write in an investigation
obeys: an archived investigation is read-only.

Instance staff (and an administrator at the shell, `by=None`) manage every investigation;
a lead manages their own: its members, its name, archiving it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import EventKind
from accounts.services import security_event
from core.services import created, deleted, model_update, validated_save
from investigations.access import forget_roles
from investigations.models import Investigation, InvestigationStatus, Membership, Role

User = AbstractBaseUser
INVESTIGATION_UPDATABLE = ("name", "description")


def _ensure_manager(investigation: Investigation | None, by: User | None) -> None:
    if by is None or by.is_staff or by.is_superuser:
        return
    if (
        investigation is not None
        and Membership.objects.filter(investigation=investigation, user=by, role=Role.LEAD).exists()
    ):
        return
    raise PermissionDenied(_("Only a lead of the investigation or instance staff may do this."))


@transaction.atomic
def investigation_create(
    *, name: str, slug: str, by: User | None, description: str = "", lead: User | None = None
) -> Investigation:
    """Create an investigation (instance staff, or the shell); `lead` becomes its lead."""
    _ensure_manager(None, by)
    investigation = Investigation(
        name=name.strip(), slug=slug.strip(), description=description, created_by=by
    )
    created(validated_save(investigation), by=by)
    if lead is not None:
        membership_set(investigation=investigation, user=lead, role=Role.LEAD, by=by)
    return investigation


@transaction.atomic
def investigation_update(
    *, investigation: Investigation, data: dict[str, Any], by: User | None
) -> Investigation:
    _ensure_manager(investigation, by)
    return model_update(instance=investigation, data=data, allowed=INVESTIGATION_UPDATABLE, by=by)


@transaction.atomic
def investigation_status_set(
    *, investigation: Investigation, status: str, by: User | None
) -> Investigation:
    """Archive an investigation (read-only for everyone) or reopen it."""
    _ensure_manager(investigation, by)
    if status not in InvestigationStatus.values:
        raise ValidationError({"status": _("Unknown status.")}, code="invalid")
    return model_update(instance=investigation, data={"status": status}, allowed=("status",), by=by)


def _leads(investigation: Investigation) -> int:
    return Membership.objects.filter(investigation=investigation, role=Role.LEAD).count()


@transaction.atomic
def membership_set(
    *, investigation: Investigation, user: User, role: str, by: User | None
) -> Membership:
    """Make `user` a member with `role`, or change their role. The last lead stays one."""
    _ensure_manager(investigation, by)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid")
    forget_roles(user)
    membership = (
        Membership.objects.select_for_update().filter(investigation=investigation, user=user)
    ).first()
    if membership is None:
        membership = Membership(investigation=investigation, user=user, role=role)
        security_event(
            EventKind.MEMBER_ADDED,
            actor=by,
            subject=user,
            investigation=investigation,
            detail=Role(role).label,
        )
        return created(validated_save(membership), by=by)
    if membership.role == Role.LEAD and role != Role.LEAD and _leads(investigation) == 1:
        raise ValidationError(
            {
                "role": ValidationError(
                    _("%(user)s is the last lead: make someone else lead first."),
                    code="last_lead",
                    params={"user": user},
                )
            }
        )
    if membership.role != role:
        security_event(
            EventKind.ROLE_CHANGED,
            actor=by,
            subject=user,
            investigation=investigation,
            detail=f"{Role(membership.role).label} → {Role(role).label}",
        )
    return model_update(instance=membership, data={"role": role}, allowed=("role",), by=by)


@transaction.atomic
def membership_remove(*, investigation: Investigation, user: User, by: User | None) -> None:
    """Remove a member; the last lead cannot be removed."""
    _ensure_manager(investigation, by)
    forget_roles(user)
    membership = Membership.objects.filter(investigation=investigation, user=user).first()
    if membership is None:
        return
    if membership.role == Role.LEAD and _leads(investigation) == 1:
        raise ValidationError(
            _("%(user)s is the last lead: make someone else lead first."),
            code="last_lead",
            params={"user": user},
        )
    security_event(
        EventKind.MEMBER_REMOVED,
        actor=by,
        subject=user,
        investigation=investigation,
        detail=Role(membership.role).label,
    )
    deleted(membership, by=by)


@transaction.atomic
def investigation_two_factor_set(
    *, investigation: Investigation, required: bool, by: User | None, request=None
) -> Investigation:
    """Require two-factor sign-in of everyone who opens the investigation (a lead), or stop."""
    _ensure_manager(investigation, by)
    stored = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if stored.two_factor_required != required:
        security_event(
            EventKind.TWO_FACTOR_POLICY,
            request=request,
            actor=by,
            subject="",
            investigation=investigation,
            detail="required" if required else "no longer required",
        )
    return model_update(
        instance=investigation,
        data={"two_factor_required": required},
        allowed=("two_factor_required",),
        by=by,
    )
