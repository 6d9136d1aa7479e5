"""Comment text to safe HTML: a small markdown subset (paragraphs, emphasis, links, lists,
quotes, inline code), @mentions of the people given, and nothing else.

markdown-it-py renders with raw HTML switched off (a tag typed in a comment stays text) and
refuses `javascript:`-like link targets; nh3 (ammonia) then keeps only the tags, attributes
and link schemes listed here, so that a bug in either still leaves the output safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nh3
from markdown_it import MarkdownIt

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    # Headings, images, rules and code blocks are more than a comment needs.
    .disable(["heading", "lheading", "image", "hr", "code", "fence", "html_block", "html_inline"])
)

TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "span"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}

# A name as Django allows it (letters, digits, @ . + - _), after an @ not inside a word
# or an address.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def mentioned_names(text: str) -> set[str]:
    """Every @name in the text, as typed (an address's trailing dot left off)."""
    return {match.group(1).rstrip(".") for match in MENTION.finditer(text)}


def _mark_mentions(html: str, names: set[str]) -> str:
    """Wrap the mentions of `names` in a span, in text only (never inside a tag)."""
    if not names:
        return html
    folded = {name.casefold() for name in names}

    def mark(match: re.Match) -> str:
        name = match.group(1).rstrip(".")
        if name.casefold() not in folded:
            return match.group(0)
        rest = match.group(1)[len(name) :]
        return f'<span class="mention">@{name}</span>{rest}'

    parts = re.split(r"(<[^>]*>)", html)
    inside_code = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if tag in ("code", "a"):
                inside_code = not part.startswith("</")
            continue
        if not inside_code:
            parts[i] = MENTION.sub(mark, part)
    return "".join(parts)


def render(text: str, mentions: Iterable[str] = ()) -> str:
    """The comment as HTML that is safe to show as it is."""
    html = _mark_mentions(_md.render(text), set(mentions))
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="nofollow noopener noreferrer",
        allowed_classes={"span": {"mention"}},
        strip_comments=True,
    )
