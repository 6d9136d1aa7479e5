import datetime

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, Claimant, Tag
from claims.services import (
    attribution_create,
    claim_create,
    claim_related_add,
    claim_tags_set,
    claim_update,
    claimant_create,
    claimant_update,
    denial_create,
    source_create,
    tag_get_or_create,
)
from core.dates import DatePrecision, PartialDate
from tests.factories import ClaimantFactory, ClaimFactory, default_investigation

pytestmark = pytest.mark.django_db


def test_claim_create_stores_a_month_precise_date_and_tags(researcher):
    tag_get_or_create(name="NATO")
    claim = claim_create(
        investigation=default_investigation(),
        statement="  Три танки прибули з Росії.  ",
        by=researcher,
        made=PartialDate(datetime.date(2014, 6, 12), DatePrecision.MONTH),
        tags=["nato", "Ukraine", " "],
    )
    claim.refresh_from_db()
    assert claim.statement == "Три танки прибули з Росії."
    assert str(claim.made) == "June 2014"
    assert sorted(t.name for t in claim.tags.all()) == ["NATO", "Ukraine"]
    assert Tag.objects.count() == 2  # "nato" reused the existing tag
    assert claim.created_by == researcher


def test_claim_create_refuses_a_blank_statement_and_writes_nothing(researcher):
    with pytest.raises(ValidationError) as error:
        claim_create(
            investigation=default_investigation(), statement="   ", by=researcher, tags=["New tag"]
        )
    assert "statement" in error.value.message_dict
    assert not Claim.objects.exists()
    assert not Tag.objects.exists()


def test_claim_update_renormalises_when_precision_changes(researcher):
    claim = claim_create(
        investigation=default_investigation(),
        statement="x",
        by=researcher,
        made=PartialDate(datetime.date(2014, 6, 12)),
    )
    made = PartialDate(claim.made_on, DatePrecision.YEAR)
    claim_update(claim=claim, data={"made": made}, by=researcher)
    claim.refresh_from_db()
    assert claim.made_on == datetime.date(2014, 1, 1)
    assert str(claim.made) == "2014"


def test_claim_update_refuses_fields_it_does_not_own(researcher):
    claim = ClaimFactory()
    with pytest.raises(ValueError, match="Cannot update uuid"):
        claim_update(
            claim=claim, data={"uuid": "00000000-0000-0000-0000-000000000000"}, by=researcher
        )


def test_claim_set_tags_replaces_the_set(researcher):
    claim = claim_create(
        investigation=default_investigation(), statement="x", by=researcher, tags=["A", "B"]
    )
    claim_tags_set(claim=claim, names=["b", "C"], by=researcher)
    assert sorted(t.name for t in claim.tags.all()) == ["B", "C"]


def test_tag_get_or_create_folds_whitespace_and_case():
    first = tag_get_or_create(name="  Eastern   Ukraine ")
    assert first.name == "Eastern Ukraine"
    assert tag_get_or_create(name="eastern ukraine") == first


def test_claim_relate_is_symmetric_and_refuses_self(researcher):
    first, second = ClaimFactory(), ClaimFactory()
    claim_related_add(claim=first, other=second, by=researcher)
    assert list(second.related.all()) == [first]
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        claim_related_add(claim=first, other=first, by=researcher)


def test_claimant_create_refuses_a_case_insensitive_duplicate(researcher):
    claimant_create(name="NATO", by=researcher)
    with pytest.raises(ValidationError) as error:
        claimant_create(name=" nato ", by=researcher)
    assert error.value.messages == ["A claimant with this name already exists."]
    assert Claimant.objects.count() == 1


def test_claimant_update_refuses_a_parent_loop_and_keeps_the_old_parent(researcher):
    government = claimant_create(name="Government", by=researcher)
    ministry = claimant_create(name="Ministry", parent=government, by=researcher)
    with pytest.raises(ValidationError) as error:
        claimant_update(claimant=government, data={"parent": ministry}, by=researcher)
    assert "a parent chain cannot loop" in error.value.message_dict["parent"][0]
    government.refresh_from_db()
    assert government.parent is None


def test_attribution_and_denial_with_partial_dates(researcher):
    claim = ClaimFactory()
    source = source_create(
        claim=claim, outlet="BBC", url="https://www.bbc.com/news/1", by=researcher
    )
    attribution = attribution_create(
        claim=claim,
        claimant=ClaimantFactory(),
        role="endorser",
        stated=PartialDate(datetime.date(2014, 6, 20), DatePrecision.MONTH),
        source=source,
        by=researcher,
    )
    denial = denial_create(
        claim=claim,
        claimant=ClaimantFactory(),
        kind="outright",
        stated=PartialDate(datetime.date(2014, 6, 20), DatePrecision.YEAR),
        quote="another fake piece of information",
        by=researcher,
    )
    assert str(attribution.stated) == "June 2014"
    assert str(denial.stated) == "2014"
    assert denial.quote == "another fake piece of information"


def test_source_add_refuses_an_invalid_url(researcher):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        source_create(claim=claim, outlet="BBC", url="not a url", by=researcher)
    assert error.value.message_dict["url"] == ["Enter a valid URL."]
    assert not claim.sources.exists()
