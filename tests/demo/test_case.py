"""The demo case loads completely, through the services, and a second load changes nothing."""

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus

pytestmark = pytest.mark.django_db

MODELS = (Claimant, Claim, Tag, Source, Attribution, Denial, EvidenceItem, EvidenceLink)


def _snapshot() -> dict[str, list]:
    """Every row of every demo model, with its last-changed time where it has one."""
    return {
        model.__name__: sorted(
            (obj.pk, getattr(obj, "updated", None)) for obj in model.objects.all()
        )
        for model in MODELS
    }


def test_demo_loads_every_kind_of_row(capsys):
    call_command("load_demo")
    assert "Demo case loaded" in capsys.readouterr().out
    assert Claimant.objects.count() == 7
    assert Claim.objects.count() == 4
    assert Attribution.objects.count() == 5
    assert Denial.objects.count() == 2
    assert EvidenceItem.objects.count() == 7
    assert EvidenceLink.objects.count() == 10
    assert set(Tag.objects.values_list("name", flat=True)) == {
        "NATO",
        "Ukraine",
        "Russia",
        "Crimea",
    }


def test_demo_loaded_twice_changes_nothing(capsys):
    call_command("load_demo")
    before = _snapshot()
    capsys.readouterr()
    call_command("load_demo")
    assert "already loaded; nothing changed" in capsys.readouterr().out
    assert _snapshot() == before


def test_demo_has_the_seed_claim_with_its_bbc_source_and_tags():
    call_command("load_demo")
    claim = Claim.objects.get(statement__startswith="Russian Army troops")
    assert str(claim.made) == "12 November 2014"
    source = claim.sources.get()
    assert (source.outlet, source.url) == ("BBC", "http://www.bbc.com/news/world-europe-30025138")
    assert {t.name for t in claim.tags.all()} == {"NATO", "Ukraine"}
    assert claim.attributions.get().claimant.name == "NATO"
    assert claim.denials.get().claimant.name == "Government of the Russian Federation"


def test_demo_denial_quote_and_month_precision():
    call_command("load_demo")
    denial = Denial.objects.get(quote__contains="fake")
    assert denial.quote == "another fake piece of information"
    assert denial.claimant.name == "Ministry of Foreign Affairs of the Russian Federation"
    assert str(denial.stated) == "June 2014"
    assert str(denial.claim.made) == "June 2014"


def test_demo_endorsements_of_ukraines_claim():
    call_command("load_demo")
    claim = Claim.objects.get(statement__contains="three unmarked tanks")
    roles = {(a.claimant.name, a.role) for a in claim.attributions.all()}
    assert roles == {
        ("Arsen Avakov", "originator"),
        ("NATO", "endorser"),
        ("United States", "endorser"),
    }


def test_demo_parent_chain():
    call_command("load_demo")
    avakov = Claimant.objects.get(name="Arsen Avakov")
    assert [c.name for c in avakov.ancestors()] == [
        "Ministry of Internal Affairs of Ukraine",
        "Government of Ukraine",
    ]


def test_demo_links_both_ways():
    call_command("load_demo")
    assert EvidenceLink.objects.filter(relation="supports").exists()
    contradicting = EvidenceLink.objects.filter(relation="contradicts")
    assert {link.evidence.title for link in contradicting} == {
        "Unconfirmed video of a T-64 reportedly in Makiivka, Donetsk",
        "Russian foreign ministry rejects the tank accusations",
    }


def test_demo_videos_are_known_by_description_only():
    call_command("load_demo")
    videos = EvidenceItem.objects.filter(kind="video")
    assert videos.count() == 2
    assert all(not v.file and not v.url for v in videos)


def test_demo_placeholders_say_so_in_title_and_pixels(settings):
    call_command("load_demo")
    images = EvidenceItem.objects.filter(kind="satellite_image").order_by("captured_from")
    assert [str(i.captured[0]) for i in images] == ["30 May 2014", "6 June 2014", "11 June 2014"]
    for item in images:
        assert item.is_placeholder and item.title.startswith("PLACEHOLDER")
        path = Path(settings.MEDIA_ROOT) / item.file.name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == item.sha256
        assert item.size_bytes == path.stat().st_size
        with Image.open(path) as image:
            # The red banner across the top marks the placeholder in the pixels.
            assert image.getpixel((5, 5)) == (180, 20, 20)
            assert image.size == (960, 600)


def test_demo_reviews_are_by_someone_other_than_the_author():
    call_command("load_demo")
    approved = EvidenceItem.objects.filter(review_status=ReviewStatus.APPROVED)
    assert approved.count() == 4
    assert all(item.reviewed_by != item.created_by for item in approved)
    assert EvidenceItem.objects.filter(review_status=ReviewStatus.PENDING).count() == 3
