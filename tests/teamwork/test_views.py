"""Working together in the browser's requests: the record pages, the inbox, settings,
saved searches and the activity page."""

import pytest
from django.urls import reverse

from claims.services import claim_update
from investigations.models import Role
from teamwork import fanout, services
from teamwork.models import Alert, Assignment, Comment, DeliveryChoice, Notification, SavedSearch
from tests.factories import ClaimFactory, EvidenceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(member, client):
    user = member("alice")
    client.force_login(user)
    return user


def test_the_claim_page_shows_comments_in_order_with_the_history_beside(client, alice, member):
    bob = member("bob")
    claim = ClaimFactory()
    services.comment_create(record=claim, by=bob, text="first, by **bob**")
    services.comment_create(record=claim, by=alice, text="second, to @bob")
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert page.index("first, by") < page.index("second, to")
    assert "<strong>bob</strong>" in page and 'class="mention">@bob' in page
    assert 'id="history-heading"' in page and 'id="comments-heading"' in page
    assert '<option value="bob">' in page  # suggested as one types @
    assert "Add comment" in page and "Stop watching" in page  # she commented: she watches


def test_posting_a_comment_with_a_mention_of_an_outsider_says_nobody_was_told(
    client, alice, member, django_capture_on_commit_callbacks
):
    member("bob")
    item = EvidenceItemFactory()
    url = reverse("teamwork:evidence_comment", args=[item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "@bob and @stranger: look"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("evidence:evidence_detail", args=[item.pk])
    )
    text = response.content.decode()
    assert "Comment added." in text
    assert "@stranger is not a member of" in text and "nobody was told" in text
    assert Notification.objects.filter(recipient__username="bob").count() == 1


def test_a_comment_that_is_too_long_comes_back_with_its_text_and_the_reason(client, alice):
    claim = ClaimFactory()
    response = client.post(
        reverse("teamwork:claim_comment", args=[claim.pk]), {"text": "word " * 40_000}
    )
    assert response.status_code == 400
    assert "at most 10,000 characters" in response.content.decode()
    assert "word word word" in response.content.decode()  # nothing lost
    assert not Comment.objects.exists()


def test_script_in_a_comment_is_shown_as_text(client, alice):
    claim = ClaimFactory()
    client.post(
        reverse("teamwork:claim_comment", args=[claim.pk]),
        {"text": '<script>alert("x")</script> [x](javascript:alert(1))'},
    )
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "&lt;script&gt;alert" in page and '<script>alert("x")' not in page
    assert 'href="javascript:' not in page


def test_a_record_of_another_investigation_answers_404(client, alice, elsewhere):
    other = ClaimFactory(investigation=elsewhere)
    for name in ("teamwork:claim_comment", "teamwork:claim_assign", "teamwork:claim_watch"):
        assert client.post(reverse(name, args=[other.pk]), {"text": "x"}).status_code == 404


def test_a_viewer_may_watch_but_not_comment(client, member):
    viewer = member("val", Role.VIEWER)
    client.force_login(viewer)
    claim = ClaimFactory()
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "Add comment" not in page and "Assign a member" not in page
    assert (
        client.post(reverse("teamwork:claim_comment", args=[claim.pk]), {"text": "x"}).status_code
        == 403
    )
    client.post(reverse("teamwork:claim_watch", args=[claim.pk]), {"watching": "1"})
    assert (
        "Stop watching"
        in client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    )


def test_editing_and_deleting_ones_comment(client, alice):
    claim = ClaimFactory()
    comment = services.comment_create(record=claim, by=alice, text="draft").comment
    url = reverse("teamwork:comment_update", args=[comment.pk])
    assert "draft" in client.get(url).content.decode()
    client.post(url, {"text": "final"})
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "final" in page and "Earlier versions (1)" in page and "draft" in page
    client.post(reverse("teamwork:comment_delete", args=[comment.pk]))
    assert not Comment.objects.exists()


def test_someone_elses_comment_cannot_be_edited(client, alice, member):
    comment = services.comment_create(record=ClaimFactory(), by=member("bob"), text="bob's").comment
    assert client.get(reverse("teamwork:comment_update", args=[comment.pk])).status_code == 403
    assert client.post(reverse("teamwork:comment_delete", args=[comment.pk])).status_code == 403


def test_assigning_from_the_page_and_assigned_to_me(client, alice, member):
    viewer = member("val", Role.VIEWER)
    claim = ClaimFactory(statement="Tanks at Rostov")
    ClaimFactory(statement="Nobody's")
    url = reverse("teamwork:claim_assign", args=[claim.pk])
    response = client.post(url, {"user": "@Alice"}, follow=True)
    assert "Assigned to alice" in response.content.decode()
    response = client.post(url, {"user": viewer.username}, follow=True)
    assert "is a viewer here" in response.content.decode()
    response = client.post(url, {"user": "ghost"}, follow=True)
    assert "ghost is not a member of this investigation" in response.content.decode()
    assert list(Assignment.objects.values_list("user__username", flat=True)) == ["alice"]
    listed = client.get(reverse("claims:claim_list") + "?assigned=me").content.decode()
    assert (
        "Tanks at Rostov" in listed and "Nobody&#x27;s" not in listed and "Nobody's" not in listed
    )
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Assigned to me" in dashboard and "Tanks at Rostov" in dashboard
    nobody = client.get(reverse("claims:claim_list") + "?assigned=nobody").content.decode()
    assert "Nobody" in nobody and "Tanks at Rostov" not in nobody


def test_assigned_to_me_on_the_evidence_list(client, alice):
    item = EvidenceItemFactory(title="Satellite pass")
    EvidenceItemFactory(title="Other pass")
    services.assignment_add(record=item, user=alice, by=alice)
    listed = client.get(reverse("evidence:evidence_list") + "?assigned=me").content.decode()
    assert "Satellite pass" in listed and "Other pass" not in listed


def test_the_inbox_counts_marks_read_and_opens_the_record(client, alice, member):
    bob = member("bob")
    claim = ClaimFactory(statement="Tanks")
    services.comment_create(record=claim, by=bob, text="@alice please check")
    services.assignment_add(record=claim, user=alice, by=bob)
    page = client.get(reverse("teamwork:inbox")).content.decode()
    assert '<span class="unread-count">2</span>' in page
    assert "bob mentioned you in a comment on “Tanks”" in page
    assert "bob assigned you to “Tanks”" in page
    mention = Notification.objects.get(kind="mention")
    response = client.get(reverse("teamwork:notification_open", args=[mention.pk]))
    assert response.url == reverse("claims:claim_detail", args=[claim.pk])
    mention.refresh_from_db()
    assert mention.read_at is not None
    client.post(reverse("teamwork:notifications_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "unread-count" not in client.get(reverse("teamwork:inbox")).content.decode()


def test_someone_elses_notification_is_404(client, alice, member):
    bob = member("bob")
    services.comment_create(record=ClaimFactory(), by=alice, text="@bob")
    theirs = Notification.objects.get(recipient=bob)
    assert client.get(reverse("teamwork:notification_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("teamwork:notification_read", args=[theirs.pk])).status_code == 404


def test_an_old_notification_of_a_left_investigation_is_unavailable(
    client, alice, member, investigation
):
    from investigations.services import membership_remove

    bob = member("bob")
    services.comment_create(record=ClaimFactory(statement="Secret claim"), by=bob, text="@alice")
    membership_remove(investigation=investigation, user=alice, by=None)
    page = client.get(reverse("teamwork:inbox")).content.decode()
    assert "Secret claim" not in page and "no longer belong" in page
    notification = Notification.objects.get()
    response = client.get(reverse("teamwork:notification_open", args=[notification.pk]))
    assert response.url == reverse("teamwork:inbox")


def test_notification_settings_are_remembered(client, alice):
    url = reverse("teamwork:notification_settings")
    page = client.get(url).content.decode()
    assert "Someone mentions me" in page and "daily email digest" in page
    data = {
        "mention": "digest",
        "assignment": "in_app",
        "review": "email",
        "needs_info": "email",
        "activity": "in_app",
    }
    response = client.post(url, data, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    assert dict(DeliveryChoice.objects.values_list("kind", "delivery"))["mention"] == "digest"


def test_saving_a_search_from_the_list_keeps_its_filters(client, alice):
    page = client.get(reverse("claims:claim_list") + "?q=tanks&page=2").content.decode()
    assert "Save this search as" in page
    response = client.post(
        reverse("teamwork:saved_search_create"),
        {"name": "Tanks", "target": "claims", "query": "q=tanks&page=2", "alert": "email"},
        follow=True,
    )
    assert "Search “Tanks” saved." in response.content.decode()
    search = SavedSearch.objects.get()
    assert search.query == "q=tanks" and search.alert == Alert.EMAIL and search.owner == alice
    listed = client.get(reverse("teamwork:saved_search_list")).content.decode()
    assert "Tanks" in listed and "?q=tanks" in listed
    response = client.post(
        reverse("teamwork:saved_search_create"),
        {"name": "Tanks", "target": "claims", "query": ""},
    )
    assert (
        response.status_code == 400 and "already have a saved search" in response.content.decode()
    )


def test_the_activity_page_filters_by_person_and_kind(client, alice, member, investigation):
    bob = member("bob")
    claim = ClaimFactory(statement="The claim")
    services.comment_create(record=claim, by=bob, text="bob's remark")
    claim_update(claim=claim, data={"details": "by alice"}, by=alice)
    url = reverse("teamwork:activity", args=[investigation.slug])
    page = client.get(url).content.decode()
    assert page.index("by alice") < page.index("bob&#x27;s remark")  # newest first
    only_bob = client.get(url + "?person=bob").content.decode()
    assert "bob&#x27;s remark" in only_bob and "by alice" not in only_bob
    comments = client.get(url + "?kind=comments").content.decode()
    assert "bob&#x27;s remark" in comments and "by alice" not in comments


def test_the_activity_of_another_investigation_is_404(client, alice, elsewhere):
    assert client.get(reverse("teamwork:activity", args=[elsewhere.slug])).status_code == 404


def test_watching_from_the_page_brings_changes(client, alice, member):
    bob = member("bob")
    claim = ClaimFactory()
    client.post(reverse("teamwork:claim_watch", args=[claim.pk]), {"watching": "1"})
    claim_update(claim=claim, data={"details": "new"}, by=bob)
    fanout.fan_out()
    assert Notification.objects.get(recipient=alice).kind == "activity"


def test_the_admin_shows_staff_only_the_comments_of_their_investigations(client, member, elsewhere):
    from django.contrib.auth.models import Permission

    staff = member("stan")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_comment"))
    eve = elsewhere.memberships.get().user
    services.comment_create(record=ClaimFactory(), by=staff, text="ours")
    services.comment_create(record=ClaimFactory(investigation=elsewhere), by=eve, text="theirs")
    client.force_login(staff)
    page = client.get("/admin/teamwork/comment/").content.decode()
    assert "stan" in page and "eve" not in page


def test_an_archived_investigation_refuses_deleting_and_unassigning_with_a_message(
    client, alice, investigation
):
    claim = ClaimFactory()
    comment = services.comment_create(record=claim, by=alice, text="kept").comment
    assignment = services.assignment_add(record=claim, user=alice, by=alice)
    investigation.status = "archived"
    investigation.save()
    for url in (
        reverse("teamwork:comment_delete", args=[comment.pk]),
        reverse("teamwork:assignment_remove", args=[assignment.pk]),
    ):
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert "is archived" in response.content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
