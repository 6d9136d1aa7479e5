"""The tally each claim stores, kept by the services as links, reviews, capture dates and
denials change; the claim list's flags on it say what the claim page's flags say."""

import datetime

import pytest

from assessment.balance import FLAGS, balance, flag_condition, flags
from claims import services as claims
from claims.models import Claim
from core.dates import PartialDate
from evidence import services as evidence
from tests.factories import ClaimantFactory, default_investigation

pytestmark = pytest.mark.django_db

TALLY = ("supporting_weight", "contradicting_weight", "supporting_count",
         "contradicting_count", "latest_capture", "denial_count")  # fmt: skip


def _tally(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return tuple(getattr(claim, field) for field in TALLY)


def _item(by, captured=None):
    return evidence.evidence_create(
        investigation=default_investigation(), kind="photo", title="Photo", by=by,
        captured=(PartialDate(captured), None) if captured else (None, None),
    )  # fmt: skip


def test_the_services_keep_the_tally(researcher, reviewer):
    place = default_investigation()
    claim = claims.claim_create(investigation=place, statement="Tanks crossed", by=researcher,
                                made=PartialDate(datetime.date(2014, 6, 1)))  # fmt: skip
    assert _tally(claim) == (0, 0, 0, 0, None, 0)
    photo, video = _item(researcher), _item(researcher, datetime.date(2014, 6, 2))
    strong = evidence.evidence_link_create(
        claim=claim, evidence=photo, relation="supports", strength="strong", by=researcher
    )
    evidence.evidence_link_create(
        claim=claim, evidence=video, relation="contradicts", by=researcher
    )
    # Linked, not yet approved: counted, not weighed.
    assert _tally(claim) == (0, 0, 1, 1, datetime.date(2014, 6, 2), 0)
    evidence.evidence_review(item=photo, by=reviewer, status="approved")
    evidence.evidence_review(item=video, by=reviewer, status="approved")
    assert _tally(claim)[:2] == (3, 2)
    evidence.evidence_link_update(link=strong, data={"strength": "weak"}, by=researcher)
    assert _tally(claim)[:2] == (1, 2)
    later = (PartialDate(datetime.date(2015, 1, 1)), None)
    evidence.evidence_update(item=photo, data={"captured": later}, by=researcher)
    assert _tally(claim)[4] == datetime.date(2015, 1, 1)
    evidence.evidence_review(item=video, by=reviewer, status="rejected", note="Staged.")
    assert _tally(claim)[:2] == (1, 0)
    denial = claims.denial_create(claim=claim, claimant=ClaimantFactory(), by=researcher)
    assert _tally(claim)[5] == 1
    claims.denial_delete(denial=denial, by=researcher)
    evidence.evidence_link_delete(link=strong, by=researcher)
    assert _tally(claim) == (0, 0, 0, 1, datetime.date(2014, 6, 2), 0)


def test_the_list_flags_say_what_the_claim_page_flags_say(researcher, reviewer):
    """Claims in every combination: the stored tally and the Python rules agree."""
    place = default_investigation()
    made = PartialDate(datetime.date(2014, 6, 1))
    claimant = ClaimantFactory()
    for n, (verdict, relations, captured, denied) in enumerate([
        ("supported", ["contradicts"], None, False),
        ("supported", ["supports", "contradicts"], None, True),
        ("refuted", ["supports"], datetime.date(2014, 7, 1), False),
        ("refuted", [], None, True),
        ("unverified", ["contradicts", "context"], datetime.date(2014, 5, 1), False),
    ]):  # fmt: skip
        claim = claims.claim_create(investigation=place, statement=f"Claim {n}", by=researcher,
                                    made=made, verdict=verdict)  # fmt: skip
        for relation in relations:
            item = _item(researcher, captured)
            evidence.evidence_link_create(
                claim=claim, evidence=item, relation=relation, by=researcher
            )
            evidence.evidence_review(item=item, by=reviewer, status="approved")
        if denied:
            claims.denial_create(claim=claim, claimant=claimant, by=researcher)
    raised = set()
    for claim in Claim.objects.prefetch_related("evidence_links__evidence", "denials"):
        links = list(claim.evidence_links.all())
        on_page = {flag.key for flag in flags(claim, links, balance(links))}
        in_list = {
            key for key in FLAGS if Claim.objects.filter(flag_condition(key), pk=claim.pk).exists()
        }
        assert in_list == on_page, claim.statement
        raised |= on_page
    assert raised == set(FLAGS)  # every flag was tried, raised and not
