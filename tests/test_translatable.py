"""No template holds English a person reads outside a translation tag: the templates are
read as a browser would show them, with every tag, variable, comment and translated text
taken out, and any word left over fails the test (with the file and the words)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "templates"
# Not the interface's words: the product's name and format names, the same in every language.
NAMES = {"Corroborate", "UUID", "SHA", "SHA-256", "SHA256SUMS", "ZIP", "PDF", "HTML", "JSON", "CSV",
         "API", "OpenAPI", "PNG", "QR", "TOTP", "DELETE"}  # fmt: skip
# Content that is not interface text: code, commands, scripts and styles.
UNREAD = re.compile(
    r"<(script|style|code|pre|svg)\b.*?</\1>|{% comment %}.*?{% endcomment %}|{#.*?#}|<!--.*?-->",
    re.S | re.I,
)
TRANSLATED = re.compile(
    r"{% blocktrans(?:late)?\b.*?{% endblocktrans(?:late)? %}|{% trans(?:late)? .*?%}", re.S
)
ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
WORD = re.compile(r"[^\W\d_]{2,}", re.U)


# A filter's English fallback, e.g. default:"never" (write default:_("never")).
LITERAL_DEFAULT = re.compile(r'default(?:_if_none)?:"([^"]*)"')


def left_over(source: str) -> list[str]:
    text = TRANSLATED.sub(" ", UNREAD.sub(" ", source))
    words = []
    for value in LITERAL_DEFAULT.findall(text):
        words += WORD.findall(value)
    for value in ATTRIBUTES.findall(text):
        words += WORD.findall(re.sub(r"{[{%].*?[%}]}", " ", value))
    text = re.sub(r"{[{%].*?[%}]}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    words += WORD.findall(text)
    return [word for word in words if word not in NAMES]


TEMPLATES = sorted(
    path for path in ROOT.rglob("*") if path.suffix in (".html", ".txt") and path.is_file()
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_holds_untranslated_text(path):
    assert left_over(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_words_outside_the_tags():
    source = (
        '{% load i18n %}<p title="Hover text">{% translate "Fine" %} Stray words'
        "{{ value }}</p><code>manage.py ok</code>{% blocktranslate %}Also {{ x }}"
        '{% endblocktranslate %}{{ x|default:"never" }}{{ y|default:_("fine") }}'
    )
    assert left_over(source) == ["never", "Hover", "text", "Stray", "words"]
