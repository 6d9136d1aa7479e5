import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from core.dates import DatePrecision, PartialDate
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from evidence.services import (
    evidence_create,
    evidence_link_create,
    evidence_link_delete,
    evidence_link_update,
    evidence_review,
    evidence_update,
)
from tests import files
from tests.factories import ClaimFactory, EvidenceItemFactory, default_investigation

pytestmark = pytest.mark.django_db

# A real PNG of over a megabyte (noise does not compress), so reading it spans chunks.
PAYLOAD = files.encode(Image.effect_noise((800, 800), 64).convert("RGB"), "PNG")


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_create_with_a_file_stores_it_under_a_generated_name_with_hash(researcher, settings):
    item = evidence_create(
        investigation=default_investigation(),
        kind="photo",
        title="Tank column",
        file=ContentFile(PAYLOAD, name="../../etc/passwd.png"),
        original_filename="../../etc/passwd.png",
        by=researcher,
    )
    item.refresh_from_db()
    assert item.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert item.size_bytes == len(PAYLOAD)
    assert item.original_filename == "passwd.png"
    assert item.file.name.startswith("evidence/originals/")
    assert "passwd" not in item.file.name and "." not in Path(item.file.name).name
    stored = Path(settings.MEDIA_ROOT) / item.file.name
    assert stored.read_bytes() == PAYLOAD
    assert item.review_status == ReviewStatus.PENDING


def test_invalid_item_stores_no_file_and_no_row(researcher, settings):
    with pytest.raises(ValidationError) as error:
        evidence_create(
            investigation=default_investigation(),
            kind="photo",
            title="Bad capture range",
            captured=(
                PartialDate(datetime.date(2014, 6, 11)),
                PartialDate(datetime.date(2014, 5, 30)),
            ),
            file=ContentFile(PAYLOAD, name="x.png"),
            by=researcher,
        )
    assert "The capture range must not end before it starts." in error.value.messages
    assert not EvidenceItem.objects.exists()
    assert _stored_files(Path(settings.MEDIA_ROOT)) == []


def test_item_known_by_description_alone(researcher):
    item = evidence_create(
        investigation=default_investigation(),
        kind="video",
        title="Unconfirmed video of a T-64 reportedly in Makiivka",
        description="Known by description only.",
        by=researcher,
    )
    assert not item.file and item.url == "" and item.sha256 == ""


def test_update_cannot_touch_review_fields(researcher):
    item = EvidenceItemFactory(created_by=researcher)
    with pytest.raises(ValueError, match="review_status"):
        evidence_update(item=item, data={"review_status": ReviewStatus.APPROVED}, by=researcher)
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_update_normalises_dates(researcher):
    item = EvidenceItemFactory(created_by=researcher)
    evidence_update(
        item=item,
        by=researcher,
        data={"event": PartialDate(datetime.date(2014, 6, 12), DatePrecision.MONTH)},
    )
    item.refresh_from_db()
    assert str(item.event) == "June 2014"


def test_reviewer_approves_someone_elses_item(researcher, reviewer):
    item = EvidenceItemFactory(created_by=researcher)
    evidence_review(item=item, by=reviewer, status=ReviewStatus.APPROVED, note=" ok ")
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.APPROVED
    assert item.reviewed_by == reviewer and item.reviewed_at is not None
    assert item.review_note == "ok"


def test_researcher_cannot_review(researcher, reviewer):
    item = EvidenceItemFactory(created_by=reviewer)
    with pytest.raises(PermissionDenied, match="Only reviewers"):
        evidence_review(item=item, by=researcher, status=ReviewStatus.APPROVED)
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_nobody_reviews_their_own_item(reviewer):
    item = EvidenceItemFactory(created_by=reviewer)
    with pytest.raises(ValidationError) as error:
        evidence_review(item=item, by=reviewer, status=ReviewStatus.APPROVED)
    assert error.value.message_dict["review_status"] == [
        "You added this evidence item, so someone else must review it."
    ]
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


@pytest.mark.parametrize("status", [ReviewStatus.REJECTED, ReviewStatus.NEEDS_INFO])
def test_rejecting_or_asking_for_more_needs_a_note(researcher, reviewer, status):
    item = EvidenceItemFactory(created_by=researcher)
    with pytest.raises(ValidationError) as error:
        evidence_review(item=item, by=reviewer, status=status, note="  ")
    assert "a note is required" in error.value.message_dict["review_note"][0]
    evidence_review(item=item, by=reviewer, status=status, note="Source unclear.")
    item.refresh_from_db()
    assert item.review_status == status


def test_returning_to_pending_clears_the_reviewer(researcher, reviewer):
    item = EvidenceItemFactory(created_by=researcher)
    evidence_review(item=item, by=reviewer, status=ReviewStatus.APPROVED)
    evidence_review(item=item, by=reviewer, status=ReviewStatus.PENDING)
    item.refresh_from_db()
    assert item.reviewed_by is None and item.reviewed_at is None


def test_link_update_and_unlink(researcher):
    claim, item = ClaimFactory(), EvidenceItemFactory()
    link = evidence_link_create(
        claim=claim, evidence=item, relation="supports", strength="weak", by=researcher
    )
    evidence_link_update(
        link=link, data={"relation": "contradicts", "strength": "strong"}, by=researcher
    )
    link.refresh_from_db()
    assert (link.relation, link.strength) == ("contradicts", "strong")
    with pytest.raises(ValidationError, match="already linked"):
        evidence_link_create(claim=claim, evidence=item, relation="context", by=researcher)
    evidence_link_delete(link=link, by=researcher)
    assert not EvidenceLink.objects.exists()


def test_link_refuses_an_unknown_relation(researcher):
    with pytest.raises(ValidationError) as error:
        evidence_link_create(
            claim=ClaimFactory(),
            evidence=EvidenceItemFactory(),
            relation="proves",
            by=researcher,
        )
    assert "relation" in error.value.message_dict
    assert not EvidenceLink.objects.exists()
