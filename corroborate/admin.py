"""Admin pieces both apps use."""

from django import forms
from django.contrib import admin
from django.db import models

from corroborate.models import AuthoredModel

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


class AuthoredAdmin(BaseAdmin):
    """Records who created a row, for the model itself and for rows added in its inlines."""

    readonly_fields: tuple[str, ...] = ("created_by", "created", "updated")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if isinstance(instance, AuthoredModel) and instance._state.adding:
                instance.created_by = request.user
        super().save_formset(request, form, formset, change)
