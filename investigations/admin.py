"""Investigations and their members in the admin, for instance staff; every write goes
through investigations.services (see core.admin)."""

from django.contrib import admin

from core.admin import ServiceAdmin, ServiceSet, ServiceTabularInline
from investigations import services
from investigations.models import Investigation, Membership

MEMBER_WRITES = ServiceSet(
    create=lambda form, obj, *, by, parent: services.membership_set(
        investigation=parent,
        user=form.cleaned_data["user"],
        role=form.cleaned_data["role"],
        by=by,
    ),
    update=lambda membership, data, *, by, expected_version: services.membership_set(
        investigation=membership.investigation, user=membership.user, role=data["role"], by=by
    ),
    delete=lambda membership, *, by: services.membership_remove(
        investigation=membership.investigation, user=membership.user, by=by
    ),
    updatable=("role",),
)


class MembershipInline(ServiceTabularInline):
    writes = MEMBER_WRITES
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role")

    def get_readonly_fields(self, request, obj=None):
        # Change someone's role here; to swap people, remove one and add the other.
        return ("user",) if obj is not None else ()


@admin.register(Investigation)
class InvestigationAdmin(ServiceAdmin):
    writes = ServiceSet(
        create=lambda form, obj, *, by, parent: services.investigation_create(
            name=form.cleaned_data["name"],
            slug=form.cleaned_data["slug"],
            description=form.cleaned_data["description"],
            by=by,
        ),
        update=lambda investigation, data, *, by, expected_version: _update(
            investigation, data, by
        ),
        updatable=("name", "description", "status"),
    )
    list_display = ("name", "slug", "status", "created")
    list_filter = ("status",)
    search_fields = ("name", "slug", "description")
    fields = ("name", "slug", "description", "status", "created_by", "created")
    readonly_fields = ("created_by", "created")
    inlines = (MembershipInline,)

    def get_readonly_fields(self, request, obj=None):
        # The short name is used by commands and the API: fixed once made.
        return (*self.readonly_fields, "slug") if obj else self.readonly_fields


def _update(investigation, data, by):
    if "status" in data:
        services.investigation_status_set(
            investigation=investigation, status=data.pop("status"), by=by
        )
    if data:
        services.investigation_update(investigation=investigation, data=data, by=by)
    return investigation
