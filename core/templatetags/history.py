from django import template

from core.history import field_label as _field_label
from core.history import field_value as _field_value

register = template.Library()


@register.filter
def field_label(stored: str) -> str:
    """A history entry's field label in the reader's language."""
    return _field_label(stored)


@register.filter
def field_value(value, stored_label: str):
    """A history entry's value, a choice in the reader's language: {{ old|field_value:field }}."""
    return _field_value(value, stored_label)
