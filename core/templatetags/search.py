"""{{ text|highlight:query }}: the text, escaped, with what the search matched marked."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.search import highlighted_terms

register = template.Library()


@register.filter
def highlight(text, query) -> SafeString:
    text = "" if text is None else str(text)
    found = highlighted_terms(query or "")
    if not found:
        return escape(text)
    pattern = re.compile("|".join(map(re.escape, found)), re.IGNORECASE)
    marked, last = [], 0
    for match in pattern.finditer(text):
        marked += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    marked.append(escape(text[last:]))
    return mark_safe("".join(marked))
