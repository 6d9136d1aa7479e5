"""import_claimreview on each accepted shape, the rating mapping, idempotence, and bad
files refused with nothing written."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Claimant
from imports.claimreview import verdict_from_rating

# The importers write into the only investigation when none is named.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("investigation")]

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/tanks",
    "claimReviewed": "Russian tanks crossed into Ukraine on 12 June 2014.",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "datePublished": "2014-06-20",
    "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 5, "worstRating": 1,
                     "alternateName": "True"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Arsen Avakov"},
        "datePublished": "2014-06-12",
        "appearance": [{"@type": "CreativeWork", "url": "https://news.example/avakov"}],
        "firstAppearance": {"@type": "CreativeWork", "url": "https://news.example/avakov"},
    },
}  # fmt: skip

SEARCH_API = {
    "claims": [
        {
            "text": "Ukraine's army lost the tanks to separatists.",
            "claimant": "МИД России",
            "claimDate": "2014-06-14T00:00:00Z",
            "claimReview": [
                {"publisher": {"name": "StopFake", "site": "stopfake.org"},
                 "url": "https://stopfake.example/1", "title": "Fake: tanks",
                 "textualRating": "Fake", "languageCode": "ru"}
            ],
        }
    ]
}  # fmt: skip


def _import(tmp_path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("import_claimreview", str(path), stdout=out)
    return out.getvalue()


def test_one_claimreview_object(tmp_path):
    assert "1 created" in _import(tmp_path, "one.json", REVIEW)
    claim = Claim.objects.get()
    assert claim.statement == REVIEW["claimReviewed"] and str(claim.made) == "12 June 2014"
    assert claim.verdict == "supported"
    assert claim.verdict_rationale == "Example Fact Check: “True” (https://factcheck.example/tanks)"
    attribution = claim.attributions.get()
    assert (attribution.claimant.name, attribution.role) == ("Arsen Avakov", "originator")
    assert sorted(claim.sources.values_list("outlet", "url")) == [
        ("Example Fact Check", "https://factcheck.example/tanks"),
        ("news.example", "https://news.example/avakov"),
    ]


def test_a_list_and_idempotence(tmp_path):
    second = dict(REVIEW, claimReviewed="A second claim.", url="https://factcheck.example/2",
                  reviewRating={"ratingValue": 1, "bestRating": 5, "worstRating": 1})  # fmt: skip
    assert "2 created" in _import(tmp_path, "list.json", [REVIEW, second])
    assert Claim.objects.get(statement="A second claim.").verdict == "refuted"
    assert "0 created, 0 updated, 2 unchanged" in _import(tmp_path, "list.json", [REVIEW, second])
    assert Claim.objects.count() == 2 and Claimant.objects.count() == 1


def test_a_fact_check_search_api_response(tmp_path):
    _import(tmp_path, "search.json", SEARCH_API)
    claim = Claim.objects.get()
    assert claim.verdict == "refuted" and str(claim.made) == "14 June 2014"
    assert claim.verdict_rationale.startswith("StopFake: “Fake”")
    assert claim.attributions.get().claimant.name == "МИД России"
    assert claim.sources.get().url == "https://stopfake.example/1"


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [
        ({"alternateName": "Mostly false"}, "disputed"),
        ({"textualRating": "Pants on Fire!"}, "refuted"),
        ({"alternateName": "Half true"}, "disputed"),
        ({"ratingValue": 4, "bestRating": 5, "worstRating": 1}, "supported"),
        ({"ratingValue": 3, "bestRating": 5, "worstRating": 1}, "inconclusive"),
        ({"alternateName": "Sin evidencia"}, "inconclusive"),
    ],
)
def test_ratings_map_to_verdicts(rating, verdict):
    assert verdict_from_rating(rating) == verdict


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"@type": "ClaimReview", "claimReviewed": "x",', "not valid JSON"),
        ({"@type": "Article"}, "entry 1: not a ClaimReview"),
        ([REVIEW, {"@type": "ClaimReview"}], "entry 2: ClaimReview has no claimReviewed"),
    ],
)
def test_bad_files_are_refused_with_nothing_written(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, "bad.json", content)
    assert not Claim.objects.exists() and not Claimant.objects.exists()


def test_a_progress_bar_is_shown(tmp_path):
    second = dict(REVIEW, claimReviewed="Another claim.")
    path = tmp_path / "two.json"
    path.write_text(json.dumps([REVIEW, second]), encoding="utf-8")
    err = io.StringIO()
    call_command("import_claimreview", str(path), stdout=io.StringIO(), stderr=err)
    assert "2/2 (100%)" in err.getvalue()


LONG_CLAIMANT = (
    "NewsX, One India, Live Hindustan's Deputy Chief Content Producer at Himanshu Jha and "
    + "a very long list of further outlets that reported the same story " * 3
).strip()


def _search_api(*claims) -> dict:
    return {
        "claims": [
            {
                "text": text,
                "claimant": claimant,
                "claimDate": "2019-03-01T00:00:00Z",
                "claimReview": [
                    {"publisher": {"name": "Fact Crescendo"}, "url": f"https://fc.example/{n}",
                     "textualRating": rating}
                ],
            }
            for n, (text, claimant, rating) in enumerate(claims)
        ]
    }  # fmt: skip


def test_a_long_claimant_naming_several_actors_imports_and_is_kept_whole(tmp_path):
    assert len(LONG_CLAIMANT) > 250
    data = _search_api(("A video shows the strike.", LONG_CLAIMANT, "FALSE"))
    assert "1 created" in _import(tmp_path, "search.json", data)
    claim = Claim.objects.get()
    names = [a.claimant.name for a in claim.attributions.select_related("claimant")]
    assert names[:3] == ["NewsX", "One India", "Live Hindustan's Deputy Chief Content Producer at"
                         " Himanshu Jha"]  # fmt: skip
    assert all(len(name) <= 200 for name in names)
    assert f"Claimant as given by Fact Crescendo: {LONG_CLAIMANT}" in claim.details
    assert claim.verdict == "refuted"  # "FALSE", in any case


def test_an_invalid_entry_stops_the_import_in_one_line_or_is_skipped_and_named(tmp_path):
    data = {"claims": [_search_api(("Fine.", "NewsX", "False"))["claims"][0], {"text": ""},
                       _search_api(("Also fine.", "", "Misleading"))["claims"][0]]}  # fmt: skip
    data["claims"][1]["claimReview"] = [{"textualRating": "False"}]
    path = tmp_path / "search.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_claimreview", str(path), stdout=io.StringIO())
    assert str(refused.value) == f"Nothing was imported. {path}:0: entry 2: claim has no text"
    assert not Claim.objects.exists()
    out, err = io.StringIO(), io.StringIO()
    call_command("import_claimreview", str(path), "--skip-invalid", stdout=out, stderr=err)
    assert "2 created" in out.getvalue() and "1 skipped" in out.getvalue()
    assert f"skipped {path}, entry 2: claim has no text" in err.getvalue()
    assert sorted(Claim.objects.values_list("verdict", flat=True)) == ["disputed", "refuted"]


def test_a_value_the_services_refuse_is_one_readable_line_not_a_traceback(tmp_path):
    data = _search_api(("Tanks crossed.", "NATO", "True"))
    data["claims"][0]["claimReview"][0]["url"] = "not a web address"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_claimreview", str(path), stdout=io.StringIO())
    assert str(refused.value) == f"Nothing was imported. {path}, claim 1:0: Enter a valid URL."
    assert not Claim.objects.exists()
