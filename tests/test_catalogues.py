"""The interface's catalogues are complete: every message the code and the templates use
is in each language's catalogue, translated (no empty or fuzzy entry), with the same
placeholders, and with every plural form the language has."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_javascript, extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
APPS = ["accounts", "api", "assessment", "claims", "core", "corroborate", "demo", "dossiers",
        "evidence", "imports", "investigations", "teamwork"]  # fmt: skip
# What makemessages reads: Django's gettext functions (context first where there is one).
KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _from_template(text: str, origin: str | None = None) -> str:
    # templatize keeps the gettext calls and blanks out the rest, for xgettext; without
    # its indentation it also reads as Python tokens.
    return "\n".join(line.lstrip() for line in templatize(text, origin=origin).splitlines())


def _extract(source: str):
    for _lineno, funcname, messages, _comments in extract_python(
        io.BytesIO(source.encode()), list(KEYWORDS), [], {}
    ):
        spec = KEYWORDS[funcname]
        messages = messages if isinstance(messages, tuple) else (messages,)
        if spec and isinstance(spec[0], tuple):  # with a context
            context, rest = messages[0], messages[1:]
        else:
            context, rest = None, messages
        if rest and rest[0]:
            yield rest[0], context


def used_messages() -> set[tuple[str, str | None]]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found |= set(_extract(path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in (".html", ".txt"):
            found |= set(_extract(_from_template(path.read_text(encoding="utf-8"), str(path))))
    return found


def used_in_scripts() -> set[tuple[str, str | None]]:
    """What corroborate.js shows through gettext (the djangojs catalogue)."""
    found = set()
    for path in (ROOT / "static" / "js").glob("*.js"):
        with path.open("rb") as source:
            for _lineno, _funcname, message, _comments in extract_javascript(
                source, ["_", "gettext"], [], {}
            ):
                found.add((message, None))
    return found


def _catalogue(language: str, domain: str = "django"):
    with (ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as po:
        return read_po(po, locale=language)


LANGUAGES = [code for code, _name in settings.LANGUAGES]


DOMAINS = ["django", "djangojs"]


@pytest.fixture(scope="module")
def used():
    return {"django": used_messages(), "djangojs": used_in_scripts()}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_use_is_in_the_catalogue(language, domain, used):
    catalogue = _catalogue(language, domain)
    have = {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in catalogue if m.id}
    assert used[domain], "nothing found: the extraction is broken"
    missing = sorted(str(message) for message in used[domain] - have)
    assert missing == [], "run makemessages and translate: " + "; ".join(missing[:20])


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_its_placeholders(language, domain):
    catalogue = _catalogue(language, domain)
    assert not catalogue.fuzzy, "the header is marked fuzzy: its plural forms would be ignored"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        strings = message.string if plural else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(message.id if plural else [message.id])))
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if plural and len(strings) != catalogue.num_plurals:
            problems.append(f"{len(strings)} of {catalogue.num_plurals} forms: {message.id!r}")
        for string in strings:
            if not string:
                problems.append(f"empty: {message.id!r}")
            elif not set(PLACEHOLDER.findall(string)) <= wanted or (
                not plural and set(PLACEHOLDER.findall(string)) != wanted
            ):
                problems.append(f"placeholders differ: {message.id!r} → {string!r}")
    assert problems == []


def test_the_check_finds_template_messages():
    source = (
        '{% load i18n %}{% translate "Hello" %}{% blocktranslate count n=x %}One {{ n }}'
        "{% plural %}Many {{ n }}{% endblocktranslate %}"
    )
    assert set(_extract(_from_template(source))) == {("Hello", None), ("One %(n)s", None)}
