"""Filter pieces both apps' FilterSets use."""

import django_filters as filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """A record id in a query string, refused with a message when it cannot be one."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


# The empty choice of every drop-down filter.
ANY = _("Any")


class FastSelect(forms.Select):
    """A drop-down written out in Python, option by option: the HTML of Django's own
    template without an included template per option, which made a list of a few hundred
    tags or countries the slowest part of a page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attributes = self.build_attrs(self.attrs, attrs)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attributes), options)
