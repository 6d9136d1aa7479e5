"""The comment sanitiser against hostile text: nothing a comment holds ever runs."""

import re
from html.parser import HTMLParser

import pytest

from teamwork.markup import mentioned_names, render

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    '[x](http://ok.example "title" onclick="alert(1)")',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "![x](http://evil.example/track.png)",
    '<form action="http://evil.example"><button>Go</button></form>',
    "<!-- <script>alert(1)</script> -->",
    "**bold <b onmouseover=alert(1)>x</b>**",
    "> quote <style>body{display:none}</style>",
    "`<script>alert(1)</script>`",
    '"><script>alert(1)</script>',
    "<object data=x></object><embed src=x>",
    "<meta http-equiv=refresh content='0;url=http://evil.example'>",
]

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "span"}


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_comment_renders_to_nothing_that_runs(text):
    html = render(text, ["alice"])
    for tag, attrs in _Elements(html).found:
        assert tag in ALLOWED_TAGS, html
        assert set(attrs) <= {"href", "rel", "class", "start"}, html
        if "href" in attrs:  # a web or mail address, or one on this site (no scheme)
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", attrs["href"], re.I)
            assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), html


def test_text_that_looks_like_html_stays_visible_as_text():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render("<script>alert(1)</script>")


def test_the_markdown_subset_is_kept():
    html = render(
        "*em* **strong** [site](https://example.org)\n\n- one\n- two\n\n> quoted\n\n`code`"
    )
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html and "<code>code</code>" in html


def test_headings_and_images_are_not_rendered():
    html = render("# Big\n\n![alt](https://example.org/x.png)")
    assert "<h1" not in html and "<img" not in html


def test_only_members_given_are_marked_as_mentions():
    html = render("@alice and @bob, mail me at a@alice.org", ["alice"])
    assert '<span class="mention">@alice</span>' in html
    assert "@bob" in html and 'class="mention">@bob' not in html
    assert "a@alice.org" in html  # an address is not a mention


def test_mentions_in_code_and_links_are_left_alone():
    html = render("`@alice` [@alice](https://example.org)", ["alice"])
    assert 'class="mention"' not in html


def test_names_are_found_in_any_script_and_without_a_trailing_full_stop():
    assert mentioned_names("привет @олег. and @李明, cc @a.b") == {"олег", "李明", "a.b"}
