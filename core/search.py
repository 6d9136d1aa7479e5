"""Search in every script, through indexes on PostgreSQL.

A searchable record keeps a search document: the text of everything it is found by (a
claim's statement, details, sources, tags and claimants...), case-folded in Python so that
every script folds alike on every engine. Each app builds its own documents; this module
matches them.

On PostgreSQL a document is found two ways, each through its own GIN index (see the
migrations that create them: `words_index_sql`, `substring_index_sql`):

- by words: a full-text vector of the document ('simple' configuration: no language's
  stemming, so Arabic, Russian and English are treated alike), where every Chinese,
  Japanese or Korean character is a word of its own, because those scripts put no spaces
  between words. A typed word matches words that start with it ("tank" finds "tanks"); a
  run of CJK characters matches those characters in a row ("北约" finds "北约首脑会议").
  The vector also ranks results by relevance.
- by substring: a trigram index serves `LIKE '%text%'` for typed text of three characters
  or more, so "anks" finds "tanks" too.

SQLite, the embedded default, matches the document with LIKE (case-folded in every script
by core.sqlite), scanning every row: fine for one team's case, not for a million claims.
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F, Func, Q, Value

# Han, kana, hangul and their compatibility blocks: scripts written without spaces.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{CJK}]+")
_WORD = re.compile(r"\w+")


def document(*parts: str | None) -> str:
    """A search document from the texts a record is found by: case-folded, one per line.
    Angle brackets become spaces: PostgreSQL's word parser would take "<Makiivka>" for a
    markup tag and leave the word out."""
    text = "\n".join(part.casefold() for part in parts if part)
    return text.translate(_NO_TAGS)


_NO_TAGS = str.maketrans("<>", "  ")


def words_sql(column: str) -> str:
    """The SQL of a document's word vector: the expression the words index is built on,
    and the one a search must use, character for character, for the index to serve it."""
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '([{CJK}])', ' \\1 ', 'g'))"


def words_index_sql(table: str, column: str, name: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({words_sql(column)})"


def substring_index_sql(table: str, column: str, name: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"


def terms(text: str) -> list[str]:
    """What a search looks for, in order: words, and runs of CJK characters."""
    found = []
    for chunk in _CJK_RUN.split(text.casefold()):
        found.extend(_WORD.findall(chunk))
    found.extend(_CJK_RUN.findall(text.casefold()))
    return found


def _tsquery(text: str) -> str:
    """tsquery text: each word as a prefix, each CJK run as characters in a row; all of
    them required. Terms hold word characters only, so quoting them is safe."""
    parts = []
    for term in terms(text):
        if _CJK_RUN.fullmatch(term):
            parts.append("(" + " <-> ".join(f"'{char}'" for char in term) + ")")
        else:
            parts.append(f"'{term}':*")
    return " & ".join(parts)


class _Words(Func):
    """A document's word vector, as words_sql() writes it."""

    output_field = models.TextField()  # a tsvector; never read back

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return words_sql(column), params


class _Query(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = models.TextField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


class _Rank(Func):
    function = "ts_rank_cd"
    output_field = models.FloatField()


def matching(field: str, text: str, vendor: str) -> Q:
    """The condition for records whose document `field` holds what `text` asks for."""
    needle = " ".join(text.casefold().split())
    if vendor != "postgresql":  # every term, anywhere (a scan: see the module's notes)
        condition = Q()
        for term in terms(text):
            condition &= Q(**{f"{field}__contains": term})
        return condition if terms(text) else Q(**{f"{field}__contains": needle})
    query = _tsquery(text)
    by_words = Q(_Matches(_Words(F(field)), _Query(Value(query)))) if query else Q(pk__in=[])
    if len(needle) >= 3 and not _CJK_RUN.fullmatch(needle.replace(" ", "")):
        return by_words | Q(**{f"{field}__contains": needle})
    return by_words


def relevance(field: str, text: str, vendor: str):
    """An expression to order matches by, most relevant first (descending), or None where
    the engine cannot rank (SQLite: the list's own order stays)."""
    query = _tsquery(text)
    if vendor != "postgresql" or not query:
        return None
    return _Rank(_Words(F(field)), _Query(Value(query)))


def highlighted_terms(text: str) -> list[str]:
    """The typed terms, longest first, for marking matches in what a list shows."""
    return sorted(set(terms(text)), key=len, reverse=True)
