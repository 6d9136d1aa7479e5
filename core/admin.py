"""The admin as one more client of the services.

A ModelAdmin here never saves or deletes a row itself: `save_model`, `save_formset` (for
its inlines), `delete_model`, `delete_queryset` and its bulk actions call the app's service
functions, so version checks, history, custody and every rule apply as they do on the
web and in the API. A subclass names its services in `writes` (a ServiceSet); inlines
name theirs the same way.

Validation errors the services raise can only be shown while the form is being validated,
not while it is saved: the form therefore runs the service's own checks in `clean()` where
a rule needs the database (a stale version, a duplicate file), and the services run them
again, under lock, when they write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from core import history
from core.concurrency import Change, ConflictCheckedForm
from core.forms import formset_actions
from core.services import EditConflict

# Sources are links researchers paste; a bare "bbc.com/news/..." means https.
_URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@dataclass(frozen=True)
class ServiceSet:
    """How the admin writes one model. Each callable takes the acting user as `by`.

    create(form, obj, by, parent) -> obj: `parent` is the inline's parent record, or None.
    update(obj, data, by, expected_version) -> obj: `data` holds the changed fields.
    delete(obj, by).
    """

    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any] | None = None
    # The form fields the update service takes; others (m2m, files) are the admin's to route.
    updatable: tuple[str, ...] = ()


class BaseAdmin(admin.ModelAdmin):
    formfield_overrides = _URL_OVERRIDES


class ServiceAdminForm(ConflictCheckedForm, forms.ModelForm):
    """An admin form that shows an edit conflict as the web forms do: what changed since
    the page was loaded, with the editor's input kept; saving again overwrites."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            self.start_from(self.instance)

    def snapshot_of(self, instance) -> dict[str, str]:
        return {label: _text(value) for label, value in history.snapshot(instance).items()}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not hasattr(self.instance, "version"):
            return cleaned
        stored = type(self.instance).objects.filter(pk=self.instance.pk).first()
        if stored is not None and cleaned.get("version") not in (None, stored.version):
            self.report_conflict(stored)
            # The admin shows no table of changes, so the message lists them.
            self.add_error(None, _describe(self.conflict_changes))
        return cleaned


def _stored(obj):
    """The record as stored: a form has already written its input onto `obj`, and only the
    changed fields it hands the service may reach the database."""
    return type(obj)._default_manager.get(pk=obj.pk)


def _changed(form: forms.BaseForm, writes: ServiceSet) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in writes.updatable}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _describe(changes: list[Change]) -> str:
    return gettext("Changed: %(changes)s") % {
        "changes": "; ".join(
            f"{change.label}: “{change.before}” → “{change.after}”" for change in changes
        )
    }


_CONFLICT_FIELDS = ("version", "snapshot")


class ServiceAdmin(BaseAdmin):
    """A ModelAdmin that writes through the services in `writes` (see the module's docstring)."""

    form = ServiceAdminForm
    writes: ServiceSet

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and hasattr(obj, "version"):
            # Hidden: the version and snapshot the editor started from.
            fieldsets.append((None, {"fields": _CONFLICT_FIELDS}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The conflict fields are the form's own, not model fields to build.
        if kwargs.get("fields"):
            kwargs["fields"] = [f for f in kwargs["fields"] if f not in _CONFLICT_FIELDS]
        return super().get_form(request, obj, change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Saved by someone else between this form's check and its save: rare, but the
            # editor must not lose the page silently.
            self.message_user(
                request,
                gettext(
                    "Someone else saved this record a moment ago; nothing of yours was saved. "
                    "Reload it and make your change again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if change:
            saved = self.writes.update(
                _stored(obj),
                _changed(form, self.writes),
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        else:
            saved = self.writes.create(form, obj, by=request.user, parent=None)
        # The admin goes on with this object (its pk, its log entry, its redirect).
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): many-to-many fields are the subclass's to route to services.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        writes = formset.writes  # set by ServiceInlineMixin.get_formset
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for action, row in formset_actions(formset):
            if action == "delete":
                writes.delete(_stored(row.instance), by=request.user)
                formset.deleted_objects.append(row.instance)
            elif action == "create":
                created = writes.create(row, row.instance, by=request.user, parent=form.instance)
                formset.new_objects.append(created)
            else:
                writes.update(
                    _stored(row.instance),
                    _changed(row, writes),
                    by=request.user,
                    expected_version=None,
                )
                formset.changed_objects.append((row.instance, row.changed_data))

    def delete_model(self, request, obj):
        self.writes.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One service call a row: each deletion is recorded, like one made on the web.
        with transaction.atomic():
            for obj in queryset:
                self.writes.delete(obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Only what has a delete service can be deleted here.
        return self.writes.delete is not None and super().has_delete_permission(request, obj)


class ServiceInlineMixin:
    writes: ServiceSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.writes = self.writes
        return formset

    def has_delete_permission(self, request, obj=None):
        return self.writes.delete is not None and super().has_delete_permission(request, obj)


class ServiceTabularInline(ServiceInlineMixin, admin.TabularInline):
    # Quotes and rationales in a row: small text areas that stay inside the page.
    formfield_overrides = {
        **_URL_OVERRIDES,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    }
