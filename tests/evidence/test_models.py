"""Each invariant of the evidence model, rejected with its readable message."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.dates import DatePrecision
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from tests.factories import EvidenceItemFactory, EvidenceLinkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _item(**fields) -> EvidenceItem:
    return EvidenceItemFactory.build(created_by=UserFactory(), **fields)


def _refused(item: EvidenceItem, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert message in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()


def test_capture_range_must_be_ordered():
    _refused(
        _item(captured_from=datetime.date(2014, 6, 11), captured_to=datetime.date(2014, 5, 30)),
        "The capture range must not end before it starts.",
    )


def test_an_ordered_capture_range_is_accepted():
    item = _item(captured_from=datetime.date(2014, 5, 30), captured_to=datetime.date(2014, 6, 11))
    item.full_clean()
    item.save()
    assert item.captured[0].isoformat() == "2014-05-30"


@pytest.mark.parametrize("latitude", [Decimal("90.000001"), Decimal("-91")])
def test_latitude_must_be_in_range(latitude):
    _refused(
        _item(latitude=latitude, longitude=Decimal("10")),
        "Latitude must be between -90 and 90 degrees.",
    )


@pytest.mark.parametrize("longitude", [Decimal("180.5"), Decimal("-181")])
def test_longitude_must_be_in_range(longitude):
    _refused(
        _item(latitude=Decimal("10"), longitude=longitude),
        "Longitude must be between -180 and 180 degrees.",
    )


def test_coordinates_come_in_pairs():
    _refused(_item(latitude=Decimal("47.2")), "Give both latitude and longitude, or neither.")


def test_boundary_coordinates_are_accepted():
    item = _item(latitude=Decimal("-90"), longitude=Decimal("180"))
    item.full_clean()


def test_a_reviewed_item_records_its_reviewer():
    _refused(
        _item(review_status=ReviewStatus.APPROVED),
        "A reviewed item must record who reviewed it and when.",
    )


def test_capture_dates_follow_their_precision():
    item = _item(
        captured_from=datetime.date(2014, 6, 11),
        captured_to=datetime.date(2014, 6, 30),
        captured_precision=DatePrecision.MONTH,
    )
    item.full_clean()
    assert [str(d) for d in item.captured] == ["June 2014", "June 2014"]


def test_one_link_per_claim_and_item():
    link = EvidenceLinkFactory()
    duplicate = EvidenceLink(
        claim=link.claim,
        evidence=link.evidence,
        relation="contradicts",
        created_by=link.created_by,
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This evidence item is already linked to this claim." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert EvidenceLink.objects.count() == 1
