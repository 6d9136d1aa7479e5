"""import_events: the Current Events markdown format, idempotence, relations across files
and runs, and malformed files reported with their line while nothing is written."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Tag
from evidence.models import EvidenceItem

# The importers write into the only investigation when none is named.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("investigation")]

# The shared folder sits beside the clone, in CI as on a developer's machine.
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "current-events"

ITEM_A = """Formats: [HTML](/news/2014/11/12/a.html)

### [2014-11-12](/news/2014/11/12/index.md)

##### War in Donbass
# Tanks cross the border near Novoazovsk.\u0020

Columns of tanks are reported crossing the border.


### Source:

1. [BBC](http://www.bbc.com/news/world-europe-1)
2. [Cover Image](http://ichef.bbci.co.uk/news/1024/tanks.jpg)
3. [Reuters](http://www.reuters.com/article/2)

### Related:

1. [Something later. ](/news/2014/11/13/b.md) _Context: NATO, Ukraine_
2. [Something older. ](/news/2014/09/4/old.md) _Context: Україна_

### Changes:
Nothing to see here.
"""

ITEM_B = """### [2014-11-13](/news/2014/11/13/index.md)

# Something later.\u0020




### Sources:

1. [Voice of America](http://www.voanews.com/content/x.html)

### Related:

1. [Tanks cross the border near Novoazovsk.](/news/2014/11/12/a.md) _Context: War in Donbass_
"""


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / "news" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _import(*paths) -> str:
    out = io.StringIO()
    call_command("import_events", *map(str, paths), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_an_item_becomes_a_claim(tmp_path):
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/12/index.md", "### [2014-11-12](/news/2014/11/12/index.md)\n# Day\n")
    _write(tmp_path, "README.md", "# The Context\n")
    assert "1 created, 0 updated, 0 unchanged, 0 merged, 0 skipped, 1 warning" in _import(tmp_path)
    claim = Claim.objects.get()
    assert claim.statement == "Tanks cross the border near Novoazovsk."
    assert str(claim.made) == "12 November 2014"
    assert claim.details == "Columns of tanks are reported crossing the border."
    assert [(s.outlet, s.url) for s in claim.sources.order_by("pk")] == [
        ("BBC", "http://www.bbc.com/news/world-europe-1"),
        ("Reuters", "http://www.reuters.com/article/2"),
    ]
    assert sorted(t.name for t in claim.tags.all()) == ["NATO", "Ukraine", "Україна"]
    cover = EvidenceItem.objects.get()  # the cover image is an image, not a source
    assert (cover.kind, cover.url, cover.file.name) == (
        "photo", "http://ichef.bbci.co.uk/news/1024/tanks.jpg", ""
    )  # fmt: skip
    assert claim.evidence_links.get().relation == "context"


def test_an_empty_summary_and_a_plural_sources_heading(tmp_path):
    _import(_write(tmp_path, "2014/11/13/b.md", ITEM_B))
    claim = Claim.objects.get()
    assert claim.details == "" and claim.sources.get().outlet == "Voice of America"


def test_related_items_are_linked_across_files_and_runs(tmp_path):
    a = _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _import(a)
    first = Claim.objects.get()
    assert first.related.count() == 0  # b is not imported yet
    _import(_write(tmp_path, "2014/11/13/b.md", ITEM_B))
    second = Claim.objects.get(statement="Something later.")
    assert list(first.related.all()) == [second]
    assert list(second.related.all()) == [first]


def test_importing_again_changes_nothing(tmp_path):
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/13/b.md", ITEM_B)
    _import(tmp_path)
    snapshot = sorted(Claim.objects.values_list("pk", "updated"))
    assert "0 created, 0 updated, 2 unchanged" in _import(tmp_path)
    assert sorted(Claim.objects.values_list("pk", "updated")) == snapshot
    assert EvidenceItem.objects.count() == 1 and Tag.objects.count() == 4


def _queries_of_reimport(root: Path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert " 0 updated" in _import(root)
    return len(queries)


def test_importing_again_runs_the_same_queries_whatever_the_number_of_files(tmp_path):
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/13/b.md", ITEM_B)
    _import(tmp_path)
    two = _queries_of_reimport(tmp_path)
    for n in range(1, 6):
        item = ITEM_B.replace("13", str(n)).replace("later", str(n))
        _write(tmp_path, f"2014/11/{n}/c{n}.md", item)
    assert "5 created" in _import(tmp_path)
    assert _queries_of_reimport(tmp_path) == two


def test_a_file_changed_since_the_last_import_is_applied_again(tmp_path):
    a = _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/13/b.md", ITEM_B)
    _import(tmp_path)
    a.write_text(ITEM_A.replace("3. [Reuters]", "3. [AP](http://apnews.com/x)\n4. [Reuters]"))
    assert "0 created, 1 updated, 1 unchanged" in _import(tmp_path)
    claim = Claim.objects.get(statement__startswith="Tanks")
    assert "http://apnews.com/x" in set(claim.sources.values_list("url", flat=True))
    assert "0 created, 0 updated, 2 unchanged" in _import(tmp_path)


def test_an_event_published_with_and_without_its_topic_is_one_claim(tmp_path):
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    prefixed = ITEM_A.replace("##### War in Donbass\n# Tanks", "# War in Donbass. Tanks")
    prefixed = prefixed.replace("_Context: NATO, Ukraine_", "_Context: Donbass_")
    _write(tmp_path, "2014/11/12/war-in-donbass-a.md", prefixed)
    _import(tmp_path)
    claim = Claim.objects.get()
    assert claim.statement == "Tanks cross the border near Novoazovsk."
    assert {t.name for t in claim.tags.all()} >= {"NATO", "Ukraine", "Donbass"}


def test_a_line_not_understood_is_a_warning_with_its_place_never_dropped_in_silence(tmp_path):
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    broken = ITEM_B.replace("1. [Voice of America](http://www.voanews.com/content/x.html)",
                            "Voice of America, somewhere")  # fmt: skip
    path = _write(tmp_path, "2014/11/13/b.md", broken)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_events", str(tmp_path), stdout=out, stderr=err)
    assert f"warning: {path}:10: not understood, left out: “Voice of America, somewhere”" in (
        err.getvalue()
    )
    # ITEM_A's "### Changes:" text is reported too: two warnings, counted.
    assert "2 created, 0 updated, 0 unchanged, 0 merged, 0 skipped, 2 warnings" in out.getvalue()
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("### [2014-13-45](/news/2014/13/45/index.md)\n# X\n", 1, "“2014-13-45” is not a date"),
        ("### [2014-11-12](/news/2014/11/12/index.md)\n\nNo headline.\n", 3,
         "no “# headline” line after the date line"),
    ],
)  # fmt: skip
def test_more_malformed_files(tmp_path, text, line, message):
    path = _write(tmp_path, "2014/11/12/bad.md", text)
    with pytest.raises(CommandError, match=f"{path}:{line}: {message}"):
        _import(path)


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        _import(tmp_path / "nowhere")


def test_the_shared_samples_import_with_the_seed_item():
    if not SAMPLES.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{SAMPLES} is missing: CI must have ../shared beside the clone")
        pytest.skip("../shared/samples is not beside this clone")
    out = _import(SAMPLES)
    assert "created" in out
    seed = Claim.objects.get(
        statement="NATO claims that Russian Army troops and military equipment have entered "
        "Ukraine."
    )
    assert [(s.outlet, s.url) for s in seed.sources.all()] == [
        ("BBC", "http://www.bbc.com/news/world-europe-30025138")
    ]
    assert {"NATO", "Ukraine"} <= {t.name for t in seed.tags.all()}
    assert str(seed.made) == "12 November 2014"
    assert "0 created, 0 updated" in _import(SAMPLES)


def test_two_investigations_import_the_same_items_each_for_itself(tmp_path, investigation):
    from investigations.models import Investigation

    other = Investigation.objects.create(name="Other team", slug="other-team")
    a = _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    b = _write(tmp_path, "2014/11/13/b.md", ITEM_B)
    with pytest.raises(CommandError, match="several investigations: name one"):
        _import(a)
    _import(a, b, "--investigation", "casework")
    _import(a, b, "--investigation", "other-team")
    ours, theirs = Claim.objects.filter(investigation=investigation), other.claims.all()
    assert ours.count() == theirs.count() == 2
    assert {c.uuid for c in ours}.isdisjoint({c.uuid for c in theirs})
    # Related items were linked inside each investigation, never across.
    for claim in Claim.objects.all():
        assert {r.investigation_id for r in claim.related.all()} == {claim.investigation_id}
    # Covers are evidence of their own investigation.
    assert other.evidence_items.count() == investigation.evidence_items.count() == 1
    assert "0 created, 0 updated" in _import(a, b, "--investigation", "other-team")


ZH_SAMPLES = SAMPLES.parent / "current-events-zh"

ONE_DIGIT = """### [2017-07-7](/news/2017/07/7/index.md)

# A one-digit day.

### Sources:

1. [AP](https://apnews.com/1) [IMG](https://images.example/1.jpg)

### Related:

1. [The other one.](/news/2017/7/08/other.md) _Context: G20_
"""

OTHER = """### [2017-7-08](/news/2017/7/08/index.md)

# The other one.

### Related:

1. [A one-digit day.](/zh/news/2017/07/07/first.md) _消息: 汉堡_
"""


def test_one_digit_days_in_date_lines_and_paths_resolve_in_any_form(tmp_path):
    _write(tmp_path, "2017/07/7/first.md", ONE_DIGIT)
    _write(tmp_path, "2017/7/08/other.md", OTHER)
    assert "2 created" in _import(tmp_path)
    first = Claim.objects.get(statement="A one-digit day.")
    other = Claim.objects.get(statement="The other one.")
    assert (str(first.made), str(other.made)) == ("7 July 2017", "8 July 2017")
    assert list(first.related.all()) == [other]
    assert [t.name for t in first.tags.all()] == ["G20"]
    assert [t.name for t in other.tags.all()] == ["汉堡"]
    # [IMG] is a picture of the item, not a source.
    assert [s.outlet for s in first.sources.all()] == ["AP"]
    assert first.evidence_links.get().evidence.url == "https://images.example/1.jpg"


def test_the_chinese_edition_imports_with_its_sources_tags_and_related_items():
    if not ZH_SAMPLES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{ZH_SAMPLES} is missing: CI must have ../shared beside the clone")
        pytest.skip("../shared/samples is not beside this clone")
    out = io.StringIO()
    err = io.StringIO()
    call_command("import_events", str(ZH_SAMPLES), stdout=out, stderr=err)
    news = [p for p in ZH_SAMPLES.rglob("*.md") if p.name.lower() not in ("index.md", "readme.md")]
    items = [p for p in news if p.read_text(encoding="utf-8").startswith("### [")]
    assert Claim.objects.count() == len(items) >= 10
    claims = list(Claim.objects.prefetch_related("sources", "tags", "related"))
    # Every item that lists sources keeps them.
    with_sources = [p for p in items if "### 信息来源" in p.read_text(encoding="utf-8")]
    assert len([claim for claim in claims if claim.sources.all()]) == len(with_sources)
    assert sum(len(claim.tags.all()) for claim in claims) > len(claims)
    # Their related items are other days, not among the samples: kept to link later.
    from claims.models import PendingRelation

    related = sum(len(set(re.findall(r"\]\((/zh/news/[^)]+)\)", p.read_text()))) for p in items)
    assert PendingRelation.objects.count() == related > 0  # (one file lists one twice)
    assert "0 warnings" in out.getvalue(), err.getvalue()


def _day(n: int) -> str:
    """ITEM_A as another event, on 1 to 28 November 2014."""
    item = ITEM_A.replace("2014-11-12", f"2014-11-{n}").replace("/11/12/", f"/11/{n}/")
    return item.replace("near Novoazovsk", f"near village {n}")


def _queries_of_import(root: Path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert " created" in _import(root)
    return len(queries)


def test_a_first_import_runs_the_same_queries_whatever_the_number_of_files(tmp_path):
    """New items are written in batches through the services' bulk forms: no query per
    claim, source, picture, link, tag, relation or history entry."""
    _import(_write(tmp_path / "first", "2014/11/1/a.md", _day(1)))  # makes the tags
    for n in (2, 3):
        _write(tmp_path / "two", f"2014/11/{n}/a.md", _day(n))
    for n in range(4, 24):
        _write(tmp_path / "twenty", f"2014/11/{n}/a.md", _day(n))
    # Each names the day before, which exists by then: related across runs and batches.
    assert _queries_of_import(tmp_path / "two") == _queries_of_import(tmp_path / "twenty")
    assert Claim.objects.count() == 23
    last = Claim.objects.get(statement__endswith="village 23.")
    assert last.sources.count() == 2 and last.evidence_links.count() == 1
    assert sorted(t.name for t in last.tags.all()) == ["NATO", "Ukraine", "Україна"]
    from core import history

    assert list(history.verify()) == []


def test_batches_relate_items_of_another_batch_and_count_merges(tmp_path, monkeypatch):
    from claims.models import PendingRelation
    from imports import events

    monkeypatch.setattr(events, "BATCH", 2)
    for n in range(1, 8):
        item = _day(n).replace("/news/2014/11/13/b.md", f"/news/2014/11/{n % 7 + 1}/a.md")
        _write(tmp_path, f"2014/11/{n}/a.md", item)
    # The same event from a second file, in a later batch: one claim, its sources added.
    again = _day(2).replace("3. [Reuters](http://www.reuters.com/article/2)",
                            "3. [AP](https://apnews.com/2)")  # fmt: skip
    _write(tmp_path, "2014/11/9/copy.md", again)
    out = _import(tmp_path)
    assert "7 created, 0 updated, 0 unchanged, 1 merged, 0 skipped" in out
    second = Claim.objects.get(statement__endswith="village 2.")
    assert {s.outlet for s in second.sources.all()} == {"BBC", "Reuters", "AP"}
    # Each item names the next day's (the last names the first): seven relations.
    for claim in Claim.objects.all():
        assert claim.related.count() == 2
    # Waiting still: the older item every file names, and the copy's next item.
    waiting = {
        key.split(":", 1)[1] for key in PendingRelation.objects.values_list("target_key", flat=True)
    }
    assert waiting == {"/news/2014/9/4/old.md", "/news/2014/11/13/b.md"}
    assert "0 created, 0 updated, 8 unchanged, 0 merged" in _import(tmp_path)


def test_folders_are_walked_in_order_without_following_a_folder_link(tmp_path):
    from imports.events import event_files

    _write(tmp_path, "2014/11/12/b.md", ITEM_A)
    _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/2/z.md", ITEM_B)
    _write(tmp_path, "2014/11/12/notes.txt", "not markdown")
    (tmp_path / "news" / "2014" / "loop").symlink_to(tmp_path / "news")
    found = [str(p.relative_to(tmp_path / "news")) for p in event_files([tmp_path])]
    assert found == ["2014/11/12/a.md", "2014/11/12/b.md", "2014/11/2/z.md"]
    assert "2 created, 0 updated, 0 unchanged, 1 merged" in _import(tmp_path)


def test_a_file_broken_between_the_two_readings_writes_nothing(tmp_path, monkeypatch):
    from imports import events

    a = _write(tmp_path, "2014/11/12/a.md", ITEM_A)
    _write(tmp_path, "2014/11/13/b.md", ITEM_B)
    readings = []
    real = events.read_event

    def read(file):
        readings.append(file)
        if len(readings) == 3:  # the second pass begins: someone edits the file
            a.write_text("### [2014-11-99](/news/x.md)\n# X\n", encoding="utf-8")
        return real(file)

    monkeypatch.setattr(events, "read_event", read)
    with pytest.raises(CommandError, match=f"{a}:1: “2014-11-99” is not a date"):
        _import(tmp_path)
    assert not Claim.objects.exists() and not EvidenceItem.objects.exists()
