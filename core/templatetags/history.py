from django import template

from core.history import field_label as _field_label

register = template.Library()


@register.filter
def field_label(stored: str) -> str:
    """A history entry's field label in the reader's language."""
    return _field_label(stored)
