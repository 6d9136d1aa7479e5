"""The evidence balance, the four flags (on the claim page and as list filters), and a
claimant's track record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.balance import balance
from tests.factories import (
    AttributionFactory,
    ClaimantFactory,
    ClaimFactory,
    DenialFactory,
    EvidenceItemFactory,
    EvidenceLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _link(claim, relation: str, strength: str, status: str = "approved", **evidence):
    reviewer = UserFactory(username="second-pair-of-eyes")
    reviewed = (
        {"reviewed_by": reviewer, "reviewed_at": timezone.now()} if status != "pending" else {}
    )
    item = EvidenceItemFactory(review_status=status, **reviewed, **evidence)
    return EvidenceLinkFactory(claim=claim, evidence=item, relation=relation, strength=strength)


def test_balance_counts_approved_evidence_by_strength():
    claim = ClaimFactory()
    _link(claim, "supports", "strong")  # 3
    _link(claim, "supports", "weak")  # 1
    _link(claim, "contradicts", "moderate")  # 2
    _link(claim, "contradicts", "strong", status="pending")  # not counted
    _link(claim, "supports", "strong", status="rejected")  # not counted, not pending
    _link(claim, "context", "strong")  # neither side
    weighed = balance(claim.evidence_links.select_related("evidence"))
    assert (weighed.supporting, weighed.contradicting) == (4, 2)
    assert (weighed.pending_supporting, weighed.pending_contradicting) == (0, 1)
    assert weighed.lean == "supports" and weighed.supporting_percent == 67


def test_claim_page_shows_the_balance_and_what_is_not_counted(client, researcher):
    claim = ClaimFactory()
    _link(claim, "supports", "moderate")
    _link(claim, "contradicts", "weak", status="pending", title="Unreviewed video")
    client.force_login(researcher)
    html = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'Supporting 2</span> · <span class="contradicts">Contradicting 0' in html
    assert (
        "Not counted until reviewed: 0 supporting and 1 contradicting item awaiting review." in html
    )
    assert "not counted in the balance" in html


def _flags(client, claim) -> list[str]:
    response = client.get(reverse("claims:claim_detail", args=[claim.pk]))
    return [flag.key for flag in response.context["flags"]]


def _listed(client, *flags, **params) -> list[str]:
    response = client.get(reverse("claims:claim_list"), {"flags": list(flags)} | params)
    return sorted(claim.statement for claim in response.context["page"].object_list)


def test_flag_verdict_disagrees_with_the_balance(client, researcher):
    wrong = ClaimFactory(statement="Wrong", verdict="supported")
    _link(wrong, "contradicts", "strong")
    _link(wrong, "supports", "weak")
    right = ClaimFactory(statement="Right", verdict="supported")
    _link(right, "supports", "strong")
    refuted_wrongly = ClaimFactory(statement="Refuted wrongly", verdict="refuted")
    _link(refuted_wrongly, "supports", "moderate")
    client.force_login(researcher)
    assert "disagrees" in _flags(client, wrong)
    assert "disagrees" not in _flags(client, right)
    assert _listed(client, "disagrees") == ["Refuted wrongly", "Wrong"]


def test_flag_approved_contradicting_evidence(client, researcher):
    approved = ClaimFactory(statement="Approved")
    _link(approved, "contradicts", "weak")
    pending = ClaimFactory(statement="Pending only")
    _link(pending, "contradicts", "strong", status="pending")
    client.force_login(researcher)
    assert "approved_contradicting" in _flags(client, approved)
    assert "approved_contradicting" not in _flags(client, pending)
    assert _listed(client, "approved_contradicting") == ["Approved"]


def test_flag_evidence_captured_after_the_claim(client, researcher):
    june = ClaimFactory(
        statement="June", made_on=datetime.date(2014, 6, 1), made_on_precision="month"
    )
    _link(june, "supports", "weak", captured_from=datetime.date(2014, 6, 30))  # within June
    later = ClaimFactory(statement="Later", made_on=datetime.date(2014, 6, 12))
    _link(later, "supports", "weak", captured_from=datetime.date(2014, 6, 13))
    client.force_login(researcher)
    assert "captured_after" not in _flags(client, june)
    assert "captured_after" in _flags(client, later)
    assert _listed(client, "captured_after") == ["Later"]


def test_flag_denied_and_flags_combine(client, researcher):
    denied = ClaimFactory(statement="Denied")
    DenialFactory(claim=denied)
    both = ClaimFactory(statement="Denied and contradicted")
    DenialFactory(claim=both)
    _link(both, "contradicts", "weak")
    client.force_login(researcher)
    assert _flags(client, denied) == ["denied"]
    assert _listed(client, denied="yes") == ["Denied", "Denied and contradicted"]
    assert _listed(client, "approved_contradicting", denied="yes") == ["Denied and contradicted"]
    page = client.get(reverse("claims:claim_detail", args=[denied.pk])).content.decode()
    assert "/claims/?denied=yes" in page  # the flag links to its filter


def test_claimant_track_record(client, researcher):
    russia = ClaimantFactory(name="Russian foreign ministry")
    for verdict in ("refuted", "refuted", "supported"):
        AttributionFactory(claimant=russia, claim=ClaimFactory(verdict=verdict))
    supported = ClaimFactory(statement="Tanks came from Russia")
    _link(supported, "supports", "strong", title="Rostov image")
    DenialFactory(claimant=russia, claim=supported, quote="another fake")
    unsupported = ClaimFactory(statement="Unsupported claim")
    _link(unsupported, "supports", "strong", status="pending")
    DenialFactory(claimant=russia, claim=unsupported)
    client.force_login(researcher)
    response = client.get(reverse("claims:claimant_detail", args=[russia.pk]))
    record = response.context["track_record"]
    assert record.by_verdict == [("supported", "Supported", 1), ("refuted", "Refuted", 2)]
    assert [d.claim.statement for d in record.refuted_denials] == ["Tanks came from Russia"]
    html = response.content.decode()
    assert "Denied, yet supported by approved evidence" in html and "Rostov image" in html
