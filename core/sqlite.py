"""Case-insensitive search in every script on SQLite.

SQLite's LIKE folds case for ASCII letters only, so `icontains` would not find "Войска" when
asked for "войска". SQLite lets an application replace LIKE with its own function; this one
matches with Python's Unicode-aware case folding. PostgreSQL needs nothing: its ILIKE/UPPER
already handle every script.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=512)
def _like_pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern: str | None, value: object, escape: str | None = None) -> bool | None:
    """SQL `value LIKE pattern [ESCAPE escape]`, NULL-propagating like SQLite's own."""
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, unicode_like, deterministic=True)
    raw.create_function("like", 3, unicode_like, deterministic=True)
