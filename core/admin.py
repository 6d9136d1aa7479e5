"""Admin pieces both apps use."""

from django import forms
from django.contrib import admin
from django.db import models

from core import history
from core.models import AuthoredModel

# Sources are links researchers paste; a bare "bbc.com/news/..." means https.
_URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class BaseAdmin(admin.ModelAdmin):
    formfield_overrides = _URL_OVERRIDES


class BaseTabularInline(admin.TabularInline):
    # Quotes and rationales in a row: small text areas that stay inside the page.
    formfield_overrides = {
        **_URL_OVERRIDES,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    }


def _stored_snapshot(obj):
    """The record as stored, before an admin save: forms change `obj` while validating."""
    if obj.pk is None:
        return None
    stored = type(obj).objects.filter(pk=obj.pk).first()
    return history.snapshot(stored) if stored else None


class HistoryAdmin(BaseAdmin):
    """Records every admin change in the history, as the services do for the web pages."""

    def save_model(self, request, obj, form, change):
        before = _stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)
        history.record(instance=obj, user=request.user, before=before)

    def delete_model(self, request, obj):
        history.record(instance=obj, user=request.user, before=history.snapshot(obj), deleted=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        befores = {
            inline.instance.pk: _stored_snapshot(inline.instance)
            for inline in formset.forms
            if inline.instance.pk and inline.has_changed()
        }
        for inline in formset.forms:
            instance = inline.instance
            if isinstance(instance, AuthoredModel) and instance._state.adding:
                instance.created_by = request.user
        for obj in formset.deleted_forms:
            if obj.instance.pk:
                history.record(
                    instance=obj.instance,
                    user=request.user,
                    before=history.snapshot(obj.instance),
                    deleted=True,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            history.record(instance=obj, user=request.user, before=None)
        for obj, _fields in formset.changed_objects:
            history.record(instance=obj, user=request.user, before=befores.get(obj.pk))


class AuthoredAdmin(HistoryAdmin):
    """Records who created a row, for the model itself and for rows added in its inlines."""

    readonly_fields: tuple[str, ...] = ("created_by", "created", "updated")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
