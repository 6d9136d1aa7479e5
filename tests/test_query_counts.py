"""Every list, detail and form page runs a fixed number of queries, whatever its rows.

Each page is measured with 3 rows and with 50 rows (lists paginate at 25): the counts must
be equal and stay within the page's budget.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence.services import custody_record
from teamwork import services as teamwork
from teamwork.models import Notification
from tests.factories import (
    AttributionFactory,
    ClaimantFactory,
    ClaimFactory,
    DenialFactory,
    EvidenceItemFactory,
    EvidenceLinkFactory,
    MembershipFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _grow_claims(n: int) -> None:
    tag = TagFactory()
    for _ in range(n):
        claim = ClaimFactory()
        claim.tags.add(tag)
        DenialFactory(claim=claim)
        EvidenceLinkFactory(claim=claim, relation="contradicts")


def _grow_claim(claim, n: int) -> None:
    """One claim with n of everything its page shows."""
    for _ in range(n):
        source = SourceFactory(claim=claim)
        claimant = ClaimantFactory(parent=ClaimantFactory())
        AttributionFactory(claim=claim, claimant=claimant, source=source)
        DenialFactory(claim=claim, claimant=claimant, source=source)
        EvidenceLinkFactory(claim=claim, evidence__provider=claimant)
        claim.tags.add(TagFactory())
        claim.related.add(ClaimFactory())


def _discuss(record, n: int) -> None:
    """n members each comment (mentioning rita, then editing), take it on and watch it."""
    for _ in range(n):
        someone = MembershipFactory().user
        comment = teamwork.comment_create(record=record, by=someone, text="@rita look").comment
        teamwork.comment_update(comment=comment, by=someone, text="@rita look again")
        teamwork.assignment_add(record=record, user=someone, by=someone)


def _grow_claimant(claimant, n: int) -> None:
    for _ in range(n):
        AttributionFactory(claimant=claimant)
        denial = DenialFactory(claimant=claimant)
        EvidenceLinkFactory(
            claim=denial.claim, relation="supports", evidence__review_status="approved",
            evidence__reviewed_by=claimant.created_by, evidence__reviewed_at=timezone.now(),
        )  # fmt: skip
        ClaimantFactory(parent=claimant)
        EvidenceItemFactory(provider=claimant)


def _grow_item(item, n: int) -> None:
    for _ in range(n):
        EvidenceLinkFactory(evidence=item)


@pytest.fixture(autouse=True)
def _estimates_past_ten(monkeypatch):
    """Totals above ten rows are estimated on PostgreSQL here, so that 50 rows cross the
    line a million rows cross in production (core.pagination)."""
    from core import pagination

    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 10)


def _same_count(client, url: str, grow, budget: int, django_assert_max_num_queries) -> None:
    grow(3)
    small = _queries(client, url)
    grow(47)
    large = _queries(client, url)
    assert small == large, f"{url}: {small} queries with 3 rows, {large} with 50"
    with django_assert_max_num_queries(budget):
        client.get(url)


@pytest.fixture
def logged_in(client, researcher):
    client.force_login(researcher)
    return client


def test_claim_list(logged_in, django_assert_max_num_queries):
    # session, user, permissions (user, group), count, page, tags prefetch, filter
    # drop-downs (tag, claimant), unread notifications (header)
    _same_count(
        logged_in, reverse("claims:claim_list"), _grow_claims, 10, django_assert_max_num_queries
    )


def test_claim_list_filtered(logged_in, django_assert_max_num_queries):
    url = reverse("claims:claim_list") + "?q=Claim&denied=yes&contradicted=yes&sort=-updated"
    _same_count(logged_in, url, _grow_claims, 10, django_assert_max_num_queries)


def test_claim_detail_and_timeline(logged_in, django_assert_max_num_queries):
    claim = ClaimFactory()

    def grow(n):
        _grow_claim(claim, n)
        _discuss(claim, n)

    # session, user, permissions (2), claim, tags, sources, attributions, denials, related,
    # links, history, unread notifications; the page's panels: assignees, watching,
    # comments, their earlier texts, the members to mention
    for name, budget in (("claims:claim_detail", 18), ("claims:claim_timeline", 13)):
        url = reverse(name, args=[claim.pk])
        claim.attributions.all().delete()
        _same_count(logged_in, url, grow, budget, django_assert_max_num_queries)


def test_claim_edit_form(logged_in, django_assert_max_num_queries):
    claim = ClaimFactory()
    url = reverse("claims:claim_update", args=[claim.pk])
    # the detail page's reads, plus the formsets' rows, the shared drop-down choices, tag
    # suggestions and the related-claims picker
    _same_count(logged_in, url, lambda n: _grow_claim(claim, n), 17, django_assert_max_num_queries)


def test_claimant_list(logged_in, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            AttributionFactory(claimant=ClaimantFactory(parent=ClaimantFactory(), aliases="a\nb"))

    # session, user, permissions (2), total (on PostgreSQL: capped count and estimate),
    # the page's ids, its rows with parents, country choices, unread notifications
    _same_count(logged_in, reverse("claims:claimant_list"), grow, 9, django_assert_max_num_queries)


def test_claimant_detail(logged_in, django_assert_max_num_queries):
    top = ClaimantFactory()
    claimant = ClaimantFactory(parent=ClaimantFactory(parent=top))
    url = reverse("claims:claimant_detail", args=[claimant.pk])
    _same_count(
        logged_in, url, lambda n: _grow_claimant(claimant, n), 11, django_assert_max_num_queries
    )


def test_evidence_list(logged_in, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            EvidenceLinkFactory(evidence__provider=ClaimantFactory())

    # session, user, permissions (2), total (on PostgreSQL: capped count and estimate),
    # the page's ids, its rows with their providers
    _same_count(
        logged_in, reverse("evidence:evidence_list"), grow, 8, django_assert_max_num_queries
    )


def test_evidence_detail(logged_in, researcher, django_assert_max_num_queries):
    item = EvidenceItemFactory(provider=ClaimantFactory(), phash=0x0F0F)

    def grow(n):
        for i in range(n):
            _grow_item(item, 1)
            custody_record(item=item, action="downloaded", by=researcher)
            EvidenceItemFactory(phash=0x0F0F ^ (1 << (i % 8)))  # a near-copy
        _discuss(item, n)

    # session, user, permissions (2), item, links with claims, custody with users,
    # perceptual hashes, the near-copies, history, unread notifications; the page's
    # panels: assignees, watching, comments, their earlier texts, the members to mention
    url = reverse("evidence:evidence_detail", args=[item.pk])
    _same_count(logged_in, url, grow, 17, django_assert_max_num_queries)


def test_link_picker(logged_in, django_assert_max_num_queries):
    claim = ClaimFactory()
    url = reverse("evidence:link_create", args=[claim.pk])

    def grow(n):
        for _ in range(n):
            EvidenceItemFactory(provider=ClaimantFactory())

    _same_count(logged_in, url, grow, 6, django_assert_max_num_queries)


def test_dashboard(logged_in, researcher, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            claim = ClaimFactory(created_by=researcher)
            item = EvidenceItemFactory(created_by=researcher, provider=ClaimantFactory())
            teamwork.assignment_add(record=claim, user=researcher, by=researcher)
            teamwork.assignment_add(record=item, user=researcher, by=researcher)

    # session, user, permissions (2), four totals (on PostgreSQL a capped count and the
    # planner's estimate each), my claims, my evidence, my items that need information,
    # awaiting review, recently changed, assigned to me (claims, evidence), unread
    # notifications
    _same_count(logged_in, reverse("dashboard"), grow, 18, django_assert_max_num_queries)


def test_inbox(logged_in, researcher, django_assert_max_num_queries):
    from teamwork import services as notes

    def grow(n):
        for _ in range(n):
            someone = MembershipFactory().user
            claim, item = ClaimFactory(), EvidenceItemFactory()
            teamwork.comment_create(record=claim, by=someone, text="@rita")
            teamwork.assignment_add(record=item, user=researcher, by=someone)
            search = notes.saved_search_create(
                owner=researcher, name=f"s{someone.pk}", target="claims", query=""
            )
            Notification.objects.create(
                recipient=researcher, kind="search", search=search, updated=timezone.now()
            )

    # session, user, permissions (2), unread count, the page's total (on PostgreSQL a
    # capped count and the estimate), its ids, its rows with records and searches
    _same_count(logged_in, reverse("teamwork:inbox"), grow, 10, django_assert_max_num_queries)


def test_activity_page(logged_in, researcher, investigation, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            claim = ClaimFactory()
            teamwork.comment_create(record=claim, by=researcher, text="note")

    url = reverse("teamwork:activity", args=[investigation.slug])
    _same_count(logged_in, url, grow, 10, django_assert_max_num_queries)
