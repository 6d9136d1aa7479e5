from django import template

from evidence.credentials import described

register = template.Library()


@register.filter
def credentials(item) -> dict:
    """An evidence item's content credentials, in words: {% with c=item|credentials %}."""
    return described(item.content_credentials)
