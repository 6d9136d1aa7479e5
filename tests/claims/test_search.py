"""Claim search in every script, kept up to date by the services, through indexes on
PostgreSQL, ranked and highlighted; the same answers on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from claims import services
from core import search
from tests.factories import ClaimantFactory, ClaimFactory, default_investigation

pytestmark = pytest.mark.django_db


def _listed(client, **params) -> list[str]:
    response = client.get(reverse("claims:claim_list"), params)
    assert response.status_code == 200
    return [claim.statement for claim in response.context["page"].object_list]


def _claim(statement: str, researcher, **fields):
    place = default_investigation()
    return services.claim_create(investigation=place, statement=statement, by=researcher, **fields)


def test_words_and_substrings_in_every_script(client, researcher):
    _claim("Russian tanks crossed the border near Novoazovsk.", researcher)
    _claim("Российские танки пересекли границу.", researcher)
    _claim("دبابات روسية عبرت الحدود", researcher)
    _claim("北约首脑会议称俄罗斯坦克越过边境", researcher)
    _claim("日本の防衛省が発表した", researcher)
    client.force_login(researcher)
    expected = {
        "tanks": "Russian tanks",  # a word
        "TANK": "Russian tanks",  # the start of a word, any case
        "anks": "Russian tanks",  # inside a word
        "Novoazovsk tanks": "Russian tanks",  # every word, in any order
        "ТАНКИ": "Российские",
        "границ": "Российские",
        "دبابات": "دبابات",
        "北约": "北约首脑会议",  # no spaces in Chinese: a word inside a run of characters
        "坦克": "北约首脑会议",
        "会议称": "北约首脑会议",
        "防衛省": "日本の防衛省",
    }
    for typed, start in expected.items():
        assert [s[: len(start)] for s in _listed(client, q=typed)] == [start], typed
    for typed in ("tanks Москва", "北京", "xyz"):
        assert _listed(client, q=typed) == [], typed


def test_sources_tags_and_claimants_are_searched_and_kept_up_to_date(client, researcher):
    claim = _claim("A claim", researcher, tags=["Донбасс"])
    source = services.source_create(
        claim=claim,
        outlet="Al Jazeera",
        url="https://aljazeera.com/a",
        title="دبابات",
        by=researcher,
    )
    mid = ClaimantFactory(name="МИД России")
    services.denial_create(claim=claim, claimant=mid, by=researcher)
    client.force_login(researcher)
    for typed in ("jazeera", "دبابات", "донбасс", "мид россии"):
        assert _listed(client, q=typed) == ["A claim"], typed

    services.claimant_update(claimant=mid, data={"name": "Ministry"}, by=researcher)
    services.source_delete(source=source, by=researcher)
    services.claim_tags_set(claim=claim, names=["Kyiv"], by=researcher)
    services.claim_update(claim=claim, data={"details": "Seen in Makiivka"}, by=researcher)
    for typed in ("jazeera", "донбасс", "мид"):
        assert _listed(client, q=typed) == [], typed
    for typed in ("ministry", "kyiv", "makiivka"):
        assert _listed(client, q=typed) == ["A claim"], typed


def test_renaming_a_claimant_or_tag_of_many_claims_refreshes_them_in_tasks(
    client, researcher, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SEARCH_REFRESH_INLINE_MAX = 2
    monkeypatch.setattr(services, "REFRESH_TASK_SIZE", 2)
    mid = ClaimantFactory(name="МИД России")
    claims = [_claim(f"Claim {n}", researcher, tags=["Донбасс"]) for n in range(5)]
    for claim in claims:
        services.denial_create(claim=claim, claimant=mid, by=researcher)
    client.force_login(researcher)
    with django_capture_on_commit_callbacks() as queued:
        services.claimant_update(claimant=mid, data={"name": "Ministry"}, by=researcher)
        services.tag_update(tag=claims[0].tags.get(), name="Donbas")
    assert len(queued) == 6  # three tasks of at most two claims, for each rename
    assert len(_listed(client, q="мид россии")) == 5  # not yet: the request did not wait
    for callback in queued:
        callback()
    assert _listed(client, q="мид россии") == _listed(client, q="донбасс") == []
    assert len(_listed(client, q="ministry")) == len(_listed(client, q="donbas")) == 5


def test_matches_are_marked_in_the_list(client, researcher):
    _claim("Tanks near <Makiivka>; танки", researcher)
    client.force_login(researcher)
    page = client.get(reverse("claims:claim_list"), {"q": "makiivka ТАНКИ"}).content.decode()
    assert "Tanks near &lt;<mark>Makiivka</mark>&gt;; <mark>танки</mark>" in page


def test_most_relevant_first(client, researcher):
    _claim("Tanks, tanks and more tanks", researcher, details="tanks")
    _claim("Tanks", researcher, details="Nothing else.")  # newer: first in the list's order
    _claim("Nothing to do with it", researcher)
    client.force_login(researcher)
    listed = _listed(client, q="tanks", sort="relevance")
    if connection.vendor == "postgresql":
        assert listed == ["Tanks, tanks and more tanks", "Tanks"]
    else:  # SQLite cannot rank: the list's own order, newest first
        assert listed == ["Tanks", "Tanks, tanks and more tanks"]


def test_evidence_and_claimants_are_searched_in_every_script(client, researcher):
    place = default_investigation()
    from evidence.services import evidence_create

    evidence_create(investigation=place, kind="photo", title="坦克车队照片", by=researcher,
                    location_name="Макеевка", description="T-64s <seen> at dawn",
                    url="https://t.me/channel/1")  # fmt: skip
    evidence_create(investigation=place, kind="document", title="Statement", by=researcher)
    services.claimant_create(name="外交部", aliases="Ministry of Foreign Affairs", by=researcher)
    services.claimant_create(name="МИД России", aliases="Russian MFA", by=researcher)
    client.force_login(researcher)

    def found(url, typed):
        response = client.get(url, {"q": typed})
        return [str(row) for row in response.context["page"].object_list]

    for typed in ("坦克", "макеевк", "seen", "t-64s", "t.me/channel"):
        assert found(reverse("evidence:evidence_list"), typed) == ["坦克车队照片"], typed
    for typed, name in (("外交", "外交部"), ("foreign", "外交部"), ("мид", "МИД России"),
                        ("mfa", "МИД России")):  # fmt: skip
        assert found(reverse("claims:claimant_list"), typed) == [name], typed
    # The matches are marked in both lists.
    page = client.get(reverse("evidence:evidence_list"), {"q": "坦克"}).content.decode()
    assert "<mark>坦克</mark>车队照片" in page
    page = client.get(reverse("claims:claimant_list"), {"q": "мид"}).content.decode()
    assert "<mark>МИД</mark> России" in page


def test_terms_of_a_search():
    assert search.terms("T-64s in 北约首脑, Makiivka") == ["t", "64s", "in", "makiivka", "北约首脑"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's indexes: runs in the PostgreSQL suite"
)
def test_searches_use_the_indexes(researcher):
    """The expressions the search writes are the ones the migration indexed: with
    sequential scans ruled out, the plan reads both indexes, whatever the script."""
    from claims.models import Claim, Claimant
    from evidence.models import EvidenceItem

    ClaimFactory.create_batch(3)
    for model, prefix in ((Claim, "claim"), (EvidenceItem, "evidence"), (Claimant, "claimant")):
        for typed in ("tanks", "北约", "танки"):
            condition = search.matching("search_text", typed, connection.vendor)
            query = model.objects.filter(condition).values("pk").query
            sql, params = query.sql_with_params()
            with connection.cursor() as cursor:
                # No table scan, no walk along another index: only an index that can answer
                # the condition itself may serve it.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"{prefix}_search_words" in plan, plan
            if typed != "北约":  # two CJK characters make no trigram: words serve them
                assert f"{prefix}_search_substrings" in plan, plan


def test_evidence_and_claimants_most_relevant_first(client, researcher):
    from evidence.services import evidence_create

    place = default_investigation()
    for title in ("Tanks, tanks, tanks", "Tanks"):  # the second is newer
        evidence_create(investigation=place, kind="photo", title=title, by=researcher)
    for name in ("Tank Corps", "Tankers Tank Tank Unit"):  # by name: Corps first
        services.claimant_create(name=name, by=researcher)
    client.force_login(researcher)

    def listed(url):
        response = client.get(url, {"q": "tank", "sort": "relevance"})
        return [str(row) for row in response.context["page"].object_list]

    ranked = connection.vendor == "postgresql"
    assert listed(reverse("evidence:evidence_list")) == (
        ["Tanks, tanks, tanks", "Tanks"] if ranked else ["Tanks", "Tanks, tanks, tanks"]
    )
    assert listed(reverse("claims:claimant_list")) == (
        ["Tankers Tank Tank Unit", "Tank Corps"]
        if ranked
        else ["Tank Corps", "Tankers Tank Tank Unit"]
    )
