"""Each invariant of the claims model, rejected with its readable message.

Validation (`full_clean`, what every service and form runs) must give the message; the
database must refuse the same row even when validation is bypassed.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Attribution, Claim, Claimant, Denial, Tag, Verdict
from core.dates import DatePrecision
from tests.factories import (
    AttributionFactory,
    ClaimantFactory,
    ClaimFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [m for messages in error.message_dict.values() for m in messages]


def test_claimant_names_are_unique_regardless_of_case():
    ClaimantFactory(name="NATO")
    duplicate = Claimant(name="nato", created_by=UserFactory())
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "A claimant with this name already exists." in _messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Claimant.objects.count() == 1


def test_claimant_names_in_cyrillic_are_unique_regardless_of_case():
    ClaimantFactory(name="МИД России")
    with pytest.raises(ValidationError) as error:
        Claimant(name="мид россии", created_by=UserFactory()).full_clean()
    assert "A claimant with this name already exists." in _messages(error.value)


def test_claimant_cannot_be_its_own_parent():
    claimant = ClaimantFactory()
    claimant.parent = claimant
    with pytest.raises(ValidationError) as error:
        claimant.full_clean()
    assert "A claimant cannot be its own parent organisation." in _messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        claimant.save()


def test_claimant_parent_chain_cannot_loop():
    government = ClaimantFactory(name="Government")
    ministry = ClaimantFactory(name="Ministry", parent=government)
    minister = ClaimantFactory(name="Minister", parent=ministry)
    government.parent = minister
    with pytest.raises(ValidationError) as error:
        government.full_clean()
    assert error.value.message_dict["parent"] == [
        "Minister is already below Government: a parent chain cannot loop."
    ]


def test_claimant_ancestors_walk_up_the_chain():
    government = ClaimantFactory(name="Government")
    ministry = ClaimantFactory(name="Ministry", parent=government)
    minister = ClaimantFactory(name="Minister", parent=ministry)
    assert minister.ancestors() == [ministry, government]
    assert government.ancestors() == []


def test_claimant_aliases_are_one_per_line():
    claimant = ClaimantFactory(aliases="МИД России\n\n  Russian foreign ministry  \n")
    assert claimant.alias_list == ["МИД России", "Russian foreign ministry"]


def test_tag_names_are_unique_regardless_of_case():
    TagFactory(name="Ukraine")
    with pytest.raises(ValidationError) as error:
        Tag(name="UKRAINE").full_clean()
    assert "A tag with this name already exists." in _messages(error.value)


def test_claim_statement_is_one_line():
    claim = ClaimFactory.build(statement="First line\nsecond line", created_by=UserFactory())
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert error.value.message_dict["statement"] == ["Keep this to one line."]


def test_month_precise_date_is_kept_as_a_month():
    claim = ClaimFactory.build(
        made_on=datetime.date(2014, 6, 17),
        made_on_precision=DatePrecision.MONTH,
        created_by=UserFactory(),
    )
    claim.full_clean()
    claim.save()
    claim.refresh_from_db()
    assert claim.made_on == datetime.date(2014, 6, 1)
    assert str(claim.made) == "June 2014"
    assert claim.made.isoformat() == "2014-06"


def test_database_refuses_an_unnormalised_partial_date():
    claim = ClaimFactory.build(
        made_on=datetime.date(2014, 6, 17),
        made_on_precision=DatePrecision.MONTH,
        created_by=UserFactory(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()  # bypasses clean(), so the check constraint must catch it
    assert not Claim.objects.exists()


def test_year_precise_date_must_be_the_first_of_january_in_the_database():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            made_on=datetime.date(2014, 6, 1), made_on_precision=DatePrecision.YEAR
        )


@pytest.mark.parametrize(
    ("verdict", "value", "label"),
    [
        (Verdict.REFUTED, 1, "False"),
        (Verdict.DISPUTED, 2, "Disputed"),
        (Verdict.UNVERIFIED, 3, "Unverified"),
        (Verdict.UNDER_REVIEW, 3, "Under review"),
        (Verdict.INCONCLUSIVE, 3, "Inconclusive"),
        (Verdict.SUPPORTED, 5, "Supported by evidence"),
    ],
)
def test_each_verdict_maps_to_a_claimreview_rating(verdict, value, label):
    assert Verdict(verdict).rating == (value, label)
    assert ClaimFactory.build(verdict=verdict).rating.value == value


def test_one_source_url_per_claim():
    source = SourceFactory()
    duplicate = SourceFactory.build(claim=source.claim, url=source.url)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This URL is already a source of the claim." in _messages(error.value)
    # The same URL may be a source of another claim.
    SourceFactory.build(claim=ClaimFactory(), url=source.url).full_clean()


def test_attribution_role_is_unique_per_claim_and_claimant():
    attribution = AttributionFactory(role="endorser")
    duplicate = Attribution(
        claim=attribution.claim,
        claimant=attribution.claimant,
        role="endorser",
        created_by=attribution.created_by,
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This claimant already has this role on the claim." in _messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize("model", [Attribution, Denial])
def test_attribution_and_denial_source_must_belong_to_the_claim(model):
    claim = ClaimFactory()
    other_source = SourceFactory()
    record = model(
        claim=claim, claimant=ClaimantFactory(), source=other_source, created_by=UserFactory()
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["source"] == ["Choose one of this claim's sources."]


def test_imported_text_is_cut_to_fit_with_an_ellipsis():
    from evidence.models import EvidenceItem

    limit = Claim.STATEMENT_MAX_LENGTH
    assert Claim.shortened(" Танки. ") == "Танки."
    cut = Claim.shortened("я" * (limit + 40))
    assert len(cut) == limit and cut.endswith("я…")
    title = EvidenceItem.shortened_title("Cover image: " + "x" * 400)
    assert len(title) == EvidenceItem._meta.get_field("title").max_length and title[-1] == "…"
