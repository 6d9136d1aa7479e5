"""Review: the queue, the admin's bulk actions and the edit form, for a researcher, a
reviewer, and a reviewer of their own item; the needs-information round trip."""

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem, ReviewStatus
from tests.factories import EvidenceItemFactory, EvidenceLinkFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("evidence:review_queue")
CHANGELIST = reverse("admin:evidence_evidenceitem_changelist")


def _decide(client, item, status, note="") -> object:
    return client.post(
        QUEUE,
        {"item": item.pk, f"review-{item.pk}-status": status, f"review-{item.pk}-note": note},
        follow=True,
    )


def test_researchers_cannot_open_or_use_the_queue(client, researcher, reviewer):
    item = EvidenceItemFactory(created_by=reviewer)
    client.force_login(researcher)
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"item": item.pk}).status_code == 403
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_reviewer_approves_from_the_queue(client, researcher, reviewer):
    item = EvidenceItemFactory(created_by=researcher, title="Column")
    EvidenceLinkFactory(evidence=item, claim__statement="Tanks crossed")
    client.force_login(reviewer)
    page = client.get(QUEUE).content.decode()
    assert "Column" in page and "Tanks crossed" in page
    response = _decide(client, item, "approved")
    assert "“Column”: approved." in response.content.decode()
    item.refresh_from_db()
    assert (item.review_status, item.reviewed_by) == (ReviewStatus.APPROVED, reviewer)
    assert "Column" not in client.get(QUEUE).content.decode()  # it left the queue


@pytest.mark.parametrize("status", ["rejected", "needs_info"])
def test_queue_requires_a_note_to_reject_or_ask(client, researcher, reviewer, status):
    item = EvidenceItemFactory(created_by=researcher)
    client.force_login(reviewer)
    response = _decide(client, item, status)
    html = response.content.decode()
    assert "was not reviewed: Say why: a note is required" in html
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_reviewer_cannot_review_their_own_item_in_the_queue(client, reviewer):
    item = EvidenceItemFactory(created_by=reviewer, title="Mine")
    client.force_login(reviewer)
    page = client.get(QUEUE).content.decode()
    assert "You added this item, so someone else must review it." in page
    assert f'name="review-{item.pk}-status"' not in page  # no form offered
    response = _decide(client, item, "approved")
    assert "You added this evidence item, so someone else must review it." in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_queue_lists_pending_and_needs_info_oldest_first(client, researcher, reviewer):
    first = EvidenceItemFactory(created_by=researcher, title="First")
    EvidenceItemFactory(created_by=researcher, title="Approved", review_status="approved",
                        reviewed_by=reviewer, reviewed_at=first.created)  # fmt: skip
    second = EvidenceItemFactory(created_by=researcher, title="Second", review_status="needs_info",
                                 reviewed_by=reviewer, reviewed_at=first.created,
                                 review_note="Where was it filmed?")  # fmt: skip
    client.force_login(reviewer)
    rows = client.get(QUEUE).context["rows"]
    assert [item for item, _, _ in rows] == [first, second]


# Admin -------------------------------------------------------------------------------------


def _bulk(client, action: str, items, **extra):
    data = {"action": action, "_selected_action": [i.pk for i in items]} | extra
    return client.post(CHANGELIST, data, follow=True)


def test_admin_bulk_approve_skips_own_items_and_says_which(
    client, staff_reviewer, staff_researcher
):
    theirs = EvidenceItemFactory(created_by=staff_researcher, title="Theirs")
    mine = EvidenceItemFactory(created_by=staff_reviewer, title="Mine")
    client.force_login(staff_reviewer)
    html = _bulk(client, "approve_selected", [theirs, mine]).content.decode()
    assert "1 item(s) marked “Approved”." in html
    # The service's own four-eyes rule decides, and its message says why.
    assert (
        "Skipped 1 item(s): Mine (You added this evidence item, so someone else must review it.)"
        in html
    )
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.review_status == ReviewStatus.APPROVED
    assert mine.review_status == ReviewStatus.PENDING


def test_admin_bulk_reject_asks_for_the_note_first(client, staff_reviewer, staff_researcher):
    item = EvidenceItemFactory(created_by=staff_researcher)
    client.force_login(staff_reviewer)
    page = _bulk(client, "reject_selected", [item]).content.decode()
    assert "A note is required" in page
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING
    empty = _bulk(client, "reject_selected", [item], apply="1", note=" ").content.decode()
    assert "Write a note first." in empty
    _bulk(client, "reject_selected", [item], apply="1", note="Staged footage.")
    item.refresh_from_db()
    assert (item.review_status, item.review_note) == (ReviewStatus.REJECTED, "Staged footage.")


def test_researchers_get_no_review_actions_in_the_admin(client, staff_researcher, staff_reviewer):
    item = EvidenceItemFactory(created_by=staff_reviewer)
    client.force_login(staff_researcher)
    page = client.get(CHANGELIST).content.decode()
    assert "approve_selected" not in page
    _bulk(client, "approve_selected", [item])
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_researchers_cannot_set_review_status_through_the_edit_form(client, researcher, reviewer):
    item = EvidenceItemFactory(created_by=reviewer, title="T")
    client.force_login(researcher)
    form = client.get(reverse("evidence:evidence_update", args=[item.pk])).context["form"]
    assert "review_status" not in form.fields
    client.post(
        reverse("evidence:evidence_update", args=[item.pk]),
        {"kind": "photo", "title": "T", "review_status": "approved",
         "version": form.initial["version"]},
    )  # fmt: skip
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


# The needs-information round trip ---------------------------------------------------------


def test_needs_information_round_trip(client, researcher, reviewer):
    item = EvidenceItemFactory(created_by=researcher, title="Unlabelled video")
    client.force_login(reviewer)
    _decide(client, item, "needs_info", "Where and when was it filmed?")

    client.force_login(researcher)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Reviewers need more information" in dashboard
    assert "Where and when was it filmed?" in dashboard

    form = client.get(reverse("evidence:evidence_update", args=[item.pk])).context["form"]
    client.post(
        reverse("evidence:evidence_update", args=[item.pk]),
        {"kind": "video", "title": "Unlabelled video", "location_name": "Makiivka",
         "version": form.initial["version"]},
    )  # fmt: skip
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING
    assert item.review_note == "Where and when was it filmed?"  # kept for the next reviewer
    assert (
        "Reviewers need more information" not in client.get(reverse("dashboard")).content.decode()
    )

    client.force_login(reviewer)
    queue = client.get(QUEUE)
    assert [row[0] for row in queue.context["rows"]] == [item]
    assert "Earlier request from victor" in queue.content.decode()


def test_queue_query_count_does_not_grow(
    client, researcher, reviewer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)

    def grow(n):
        for _ in range(n):
            EvidenceLinkFactory(evidence=EvidenceItemFactory(created_by=researcher))

    counts = []
    for n in (3, 17):  # 3 items, then 20: a full page
        grow(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    # session, user, permissions (2), total (on PostgreSQL: capped count and estimate), the
    # page's ids, its rows, links, their claims, unread notifications (header)
    with django_assert_max_num_queries(10):
        client.get(QUEUE)
    assert EvidenceItem.objects.count() == 20
