"""Investigations: who manages them, the last lead, archiving, and the rules that keep each
investigation's records to itself."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from claims import services as claims
from evidence import services as evidence
from evidence.services import DuplicateEvidence
from investigations import services
from investigations.models import InvestigationStatus, Membership, Role
from tests import files
from tests.factories import (
    ClaimFactory,
    EvidenceItemFactory,
    InvestigationFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    return InvestigationFactory(slug="other-team")


def test_roles_hold_everything_of_the_roles_before_them():
    assert Role.LEAD.allows(Role.REVIEWER) and Role.REVIEWER.allows(Role.RESEARCHER)
    assert Role.RESEARCHER.allows(Role.VIEWER) and not Role.VIEWER.allows(Role.RESEARCHER)


def test_staff_create_investigations_and_members_join_with_a_role_in_the_history():
    staff = UserFactory(username="steph", is_staff=True)
    lead = UserFactory(username="lena")
    investigation = services.investigation_create(
        name="Makiivka videos", slug="makiivka", by=staff, lead=lead
    )
    assert Membership.objects.get(investigation=investigation, user=lead).role == Role.LEAD
    from core.models import HistoryEntry

    logged = HistoryEntry.objects.filter(model="investigations.membership", action="created")
    assert logged.get().username == "steph"


def test_only_staff_or_a_lead_manage_an_investigation(investigation, researcher):
    with pytest.raises(PermissionDenied):
        services.investigation_create(name="Mine", slug="mine", by=researcher)
    with pytest.raises(PermissionDenied):
        services.membership_set(
            investigation=investigation, user=UserFactory(), role=Role.VIEWER, by=researcher
        )
    lead = MembershipFactory(investigation=investigation, role=Role.LEAD).user
    newcomer = UserFactory(username="nina")
    services.membership_set(investigation=investigation, user=newcomer, role="viewer", by=lead)
    assert Membership.objects.get(user=newcomer).role == Role.VIEWER


def test_the_last_lead_can_neither_leave_nor_step_down(investigation):
    lead = MembershipFactory(investigation=investigation, role=Role.LEAD).user
    with pytest.raises(ValidationError, match="last lead"):
        services.membership_remove(investigation=investigation, user=lead, by=None)
    with pytest.raises(ValidationError, match="last lead"):
        services.membership_set(investigation=investigation, user=lead, role="viewer", by=None)
    second = MembershipFactory(investigation=investigation, role=Role.LEAD).user
    services.membership_remove(investigation=investigation, user=lead, by=second)
    assert not Membership.objects.filter(user=lead).exists()


def test_an_archived_investigation_refuses_every_write_until_reopened(investigation, researcher):
    claim = ClaimFactory(investigation=investigation)
    source = SourceFactory(claim=claim)
    item = EvidenceItemFactory(investigation=investigation)
    services.investigation_status_set(
        investigation=investigation, status=InvestigationStatus.ARCHIVED, by=None
    )
    claim.investigation.refresh_from_db()
    archived = "is archived, so nothing in it can be changed"
    attempts = [
        lambda: claims.claim_create(investigation=investigation, statement="New", by=researcher),
        lambda: claims.claim_update(claim=claim, data={"statement": "Edited"}, by=researcher),
        lambda: claims.source_delete(source=source, by=researcher),
        lambda: evidence.evidence_update(item=item, data={"title": "Edited"}, by=researcher),
        lambda: evidence.evidence_link_create(
            claim=claim, evidence=item, relation="supports", by=researcher
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match=archived):
            attempt()
    services.investigation_status_set(
        investigation=investigation, status=InvestigationStatus.ACTIVE, by=None
    )
    claims.claim_update(claim=claim, data={"statement": "Edited"}, by=researcher)


def test_links_and_related_claims_stay_inside_one_investigation(investigation, other, researcher):
    claim = ClaimFactory(investigation=investigation)
    elsewhere = EvidenceItemFactory(investigation=other)
    with pytest.raises(ValidationError, match="claim's own investigation"):
        evidence.evidence_link_create(
            claim=claim, evidence=elsewhere, relation="supports", by=researcher
        )
    with pytest.raises(ValidationError, match="same investigation"):
        claims.claim_related_add(
            claim=claim, other=ClaimFactory(investigation=other), by=researcher
        )


def test_the_same_file_may_be_evidence_in_two_investigations_once_each(
    investigation, other, researcher
):
    def upload(place):
        return evidence.evidence_create(
            investigation=place,
            kind="photo",
            title="Column",
            file=ContentFile(files.png(), name="column.png"),
            by=researcher,
        )

    first = upload(investigation)
    second = upload(other)
    assert first.sha256 == second.sha256 and first.pk != second.pk
    with pytest.raises(DuplicateEvidence) as refused:
        upload(other)
    assert refused.value.existing == second  # never the other investigation's item
