"""Working together, through the services every writer calls."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.services import claim_create, claim_update
from core.models import HistoryEntry
from evidence.models import ReviewStatus
from evidence.services import evidence_review
from investigations.models import Role
from investigations.services import membership_remove
from teamwork import fanout, mail, selectors, services
from teamwork.models import (
    Alert,
    Assignment,
    Comment,
    Delivery,
    Kind,
    Mail,
    Notification,
    SearchTarget,
    Watch,
)
from tests.factories import ClaimFactory, EvidenceItemFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _notes(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


# Comments and mentions ----------------------------------------------------------------------


def test_a_mention_tells_the_member_and_nobody_outside(member, elsewhere):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    written = services.comment_create(record=claim, by=alice, text="@bob look, and @eve @nobody")
    assert [n.kind for n in _notes(bob)] == [Kind.MENTION]
    assert _notes(bob)[0].claim == claim and _notes(bob)[0].actor == alice
    assert not Notification.objects.filter(recipient__username="eve").exists()
    assert written.not_mentioned == ["eve", "nobody"]
    assert list(written.comment.mentioned.all()) == [bob]
    assert 'class="mention">@bob' in written.comment.html
    assert "@eve" in written.comment.html and 'class="mention">@eve' not in written.comment.html


def test_nobody_is_told_of_their_own_mention(member):
    alice = member("alice")
    services.comment_create(record=ClaimFactory(), by=alice, text="note to @alice")
    assert _notes(alice) == []


def test_a_comment_of_200000_characters_is_refused_and_nothing_is_written(member):
    alice = member("alice")
    with pytest.raises(ValidationError) as error:
        services.comment_create(record=ClaimFactory(), by=alice, text="x" * 200_000)
    assert "at most 10,000 characters; this one has 200,000" in str(error.value)
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(member):
    with pytest.raises(ValidationError, match="Write something"):
        services.comment_create(record=ClaimFactory(), by=member("alice"), text="   ")


def test_comments_need_the_researcher_role_and_membership(member, elsewhere):
    viewer = member("val", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.comment_create(record=ClaimFactory(), by=viewer, text="hi")
    other = ClaimFactory(investigation=elsewhere)
    with pytest.raises(PermissionDenied):
        services.comment_create(record=other, by=member("alice"), text="hi")


def test_an_edit_keeps_the_earlier_text_in_the_history(member):
    alice = member("alice")
    claim = ClaimFactory()
    comment = services.comment_create(record=claim, by=alice, text="first words").comment
    services.comment_update(comment=comment, by=alice, text="second words")
    comment.refresh_from_db()
    assert comment.text == "second words" and comment.edited is not None
    change = HistoryEntry.objects.get(model="teamwork.comment", action="changed")
    assert change.changes["Text"] == ["first words", "second words"]
    assert change.claim_id == claim.pk  # shown in the claim's history
    [shown] = selectors.comments_of(claim)
    assert [text for _at, text in shown.earlier] == ["first words"]


def test_only_the_author_edits_or_deletes(member):
    alice, bob = member("alice"), member("bob")
    comment = services.comment_create(record=ClaimFactory(), by=alice, text="mine").comment
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, by=bob, text="yours now")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, by=bob)


def test_deleting_a_comment_keeps_what_it_said_in_the_history(member):
    alice = member("alice")
    comment = services.comment_create(record=ClaimFactory(), by=alice, text="said once").comment
    services.comment_delete(comment=comment, by=alice)
    assert not Comment.objects.exists()
    gone = HistoryEntry.objects.get(model="teamwork.comment", action="deleted")
    assert gone.changes["Text"] == ["said once", None]


def test_an_edit_tells_only_the_newly_mentioned(member):
    alice, bob, carol = member("alice"), member("bob"), member("carol")
    comment = services.comment_create(record=ClaimFactory(), by=alice, text="@bob").comment
    services.comment_update(comment=comment, by=alice, text="@bob and @carol")
    assert len(_notes(bob)) == 1 and len(_notes(carol)) == 1


def test_commenting_makes_one_watch(member):
    alice = member("alice")
    claim = ClaimFactory()
    services.comment_create(record=claim, by=alice, text="watching now")
    assert selectors.is_watching(alice, claim)


def test_archived_investigations_take_no_comments(member, investigation):
    alice = member("alice")
    claim = ClaimFactory()
    investigation.status = "archived"
    investigation.save()
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        services.comment_create(record=claim, by=alice, text="too late")


# Assignments ----------------------------------------------------------------------------------


def test_an_assignment_tells_the_member_and_lists_it_as_theirs(member):
    alice, bob = member("alice"), member("bob")
    claim, item = ClaimFactory(), EvidenceItemFactory()
    services.assignment_add(record=claim, user=bob, by=alice)
    services.assignment_add(record=item, user=bob, by=alice)
    assert {n.kind for n in _notes(bob)} == {Kind.ASSIGNMENT}
    assert selectors.assigned_to(bob) == ([claim], [item])
    assert selectors.assigned_to(alice) == ([], [])
    assert selectors.is_watching(bob, claim)
    entry = HistoryEntry.objects.filter(model="teamwork.assignment").first()
    assert entry.claim_id == claim.pk and entry.action == "created"


def test_assigning_a_non_member_or_a_viewer_is_refused_with_a_reason(member, elsewhere):
    alice, viewer = member("alice"), member("val", Role.VIEWER)
    from django.contrib.auth import get_user_model

    eve = get_user_model().objects.get(username="eve")
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match="not a member of this investigation"):
        services.assignment_add(record=claim, user=eve, by=alice)
    with pytest.raises(ValidationError, match="is a viewer here"):
        services.assignment_add(record=claim, user=viewer, by=alice)
    services.assignment_add(record=claim, user=alice, by=alice)
    with pytest.raises(ValidationError, match="already assigned"):
        services.assignment_add(record=claim, user=alice, by=alice)
    assert Assignment.objects.count() == 1


# Review decisions -----------------------------------------------------------------------------


def test_a_review_decision_and_a_question_reach_whoever_added_the_item(member):
    alice, reviewer = member("alice"), member("rev", Role.REVIEWER)
    item = EvidenceItemFactory(created_by=alice)
    evidence_review(item=item, by=reviewer, status=ReviewStatus.NEEDS_INFO, note="Source?")
    evidence_review(item=item, by=reviewer, status=ReviewStatus.APPROVED)
    kinds = [n.kind for n in Notification.objects.filter(recipient=alice).order_by("pk")]
    assert kinds == [Kind.NEEDS_INFO, Kind.REVIEW]
    assert "Source?" in Notification.objects.get(kind=Kind.NEEDS_INFO).excerpt


# Watching and folding -------------------------------------------------------------------------


def test_creating_a_claim_makes_its_author_watch_it(member, investigation):
    alice = member("alice")
    claim = claim_create(investigation=investigation, statement="Tanks crossed.", by=alice)
    assert selectors.is_watching(alice, claim)


def test_a_burst_of_edits_to_a_watched_record_gives_one_notification(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    for n in range(6):
        claim_update(claim=claim, data={"details": f"take {n}"}, by=alice)
        fanout.fan_out()
    services.comment_create(record=claim, by=alice, text="done editing")
    fanout.fan_out()
    [only] = _notes(bob)
    assert only.kind == Kind.ACTIVITY and only.count == 7
    assert only.excerpt.startswith("commented: done editing")
    assert "7 changes to" in selectors.headline(only, bob)


def test_changes_after_the_burst_window_make_a_new_notification(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    claim_update(claim=claim, data={"details": "one"}, by=alice)
    fanout.fan_out()
    Notification.objects.update(updated=timezone.now() - datetime.timedelta(minutes=30))
    claim_update(claim=claim, data={"details": "two"}, by=alice)
    fanout.fan_out()
    assert len(_notes(bob)) == 2


def test_a_read_notification_is_not_added_to(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    claim_update(claim=claim, data={"details": "one"}, by=alice)
    fanout.fan_out()
    services.notifications_read_all(by=bob)
    claim_update(claim=claim, data={"details": "two"}, by=alice)
    fanout.fan_out()
    assert len(_notes(bob)) == 2


def test_a_mention_is_not_told_twice_to_a_watcher(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    services.comment_create(record=claim, by=alice, text="@bob see this")
    fanout.fan_out()
    [only] = _notes(bob)
    assert only.kind == Kind.MENTION and only.count == 1


def test_unwatching_stops_the_notifications(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    services.watch_set(record=claim, user=bob, watching=False)
    claim_update(claim=claim, data={"details": "quiet"}, by=alice)
    fanout.fan_out()
    assert _notes(bob) == [] and not Watch.objects.filter(user=bob).exists()


def test_fan_out_reads_each_entry_once(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    services.watch_set(record=claim, user=bob, watching=True)
    claim_update(claim=claim, data={"details": "once"}, by=alice)
    assert fanout.fan_out() >= 1
    assert fanout.fan_out() == 0
    assert _notes(bob)[0].count == 1


# Leaving an investigation ---------------------------------------------------------------------


def test_a_removed_member_gets_nothing_more_and_old_notifications_show_unavailable(
    member, investigation
):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory(statement="A secret claim")
    services.watch_set(record=claim, user=bob, watching=True)
    services.comment_create(record=claim, by=alice, text="@bob secret plan")
    old = _notes(bob)[0]
    membership_remove(investigation=investigation, user=bob, by=None)
    claim_update(claim=claim, data={"details": "later"}, by=alice)
    services.comment_create(record=claim, by=alice, text="@bob again")
    fanout.fan_out()
    assert _notes(bob) == [old]
    bob.refresh_from_db()
    assert not selectors.available(old, bob)
    assert "secret" not in selectors.headline(old, bob)
    assert "no longer belong" in selectors.headline(old, bob)
    assert selectors.unread_count(bob) == 0


# Mail -------------------------------------------------------------------------------------------


def test_mail_at_once_goes_through_the_queue_after_the_commit(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    alice, bob = member("alice"), member("bob")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_create(record=ClaimFactory(statement="Tanks"), by=alice, text="@bob")
    assert mailoutbox == []  # nothing in the request itself
    for callback in callbacks:
        callback()  # the commit: the task is sent (run at once here: no broker)
    [message] = mailoutbox
    assert message.to == ["bob@example.org"]
    assert "alice mentioned you in a comment on “Tanks”" in message.subject
    assert "/notifications/" in message.body
    assert Notification.objects.get(recipient=bob).mail == Mail.SENT


def test_in_app_only_sends_no_mail(member, mailoutbox, django_capture_on_commit_callbacks):
    alice, bob = member("alice"), member("bob")
    services.deliveries_set(user=bob, choices={Kind.MENTION: Delivery.IN_APP})
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(record=ClaimFactory(), by=alice, text="@bob")
    assert mailoutbox == [] and len(_notes(bob)) == 1


def test_digest_mode_groups_a_days_notifications_into_one_email(member, mailoutbox):
    alice, bob = member("alice"), member("bob")
    services.deliveries_set(
        user=bob, choices={Kind.MENTION: Delivery.DIGEST, Kind.ASSIGNMENT: Delivery.DIGEST}
    )
    claims = [ClaimFactory(statement=f"Claim {n}") for n in range(3)]
    for claim in claims:
        services.comment_create(record=claim, by=alice, text="@bob have a look")
    services.assignment_add(record=claims[0], user=bob, by=alice)
    assert mailoutbox == []
    assert mail.mail_digests() == 1
    [digest] = mailoutbox
    assert "4 notifications" in digest.subject
    for n in range(3):
        assert f"comment on “Claim {n}”" in digest.body
    assert "assigned you to “Claim 0”" in digest.body
    assert mail.mail_digests() == 0  # sent once


def test_the_digest_leaves_out_what_the_reader_may_no_longer_see(member, investigation, mailoutbox):
    alice, bob = member("alice"), member("bob")
    services.deliveries_set(user=bob, choices={Kind.MENTION: Delivery.DIGEST})
    services.comment_create(record=ClaimFactory(statement="Secret"), by=alice, text="@bob")
    membership_remove(investigation=investigation, user=bob, by=None)
    assert mail.mail_digests() == 0 and mailoutbox == []


def test_a_lost_message_is_caught_up_by_the_sweep(member, mailoutbox):
    alice, _bob = member("alice"), member("bob")
    services.comment_create(record=ClaimFactory(), by=alice, text="@bob")  # never committed
    assert Notification.objects.get().mail == Mail.DUE
    assert mail.mail_due() == 0  # too recent: its own message may still come
    Notification.objects.update(updated=timezone.now() - datetime.timedelta(minutes=30))
    assert mail.mail_due() == 1 and len(mailoutbox) == 1
    assert mail.mail_one(Notification.objects.get().pk) is False  # never twice


# Saved searches ---------------------------------------------------------------------------------


def test_a_saved_search_alert_fires_for_a_new_matching_claim(member, investigation):
    alice, bob = member("alice"), member("bob")
    search = services.saved_search_create(
        owner=bob, name="Tanks", target=SearchTarget.CLAIMS, query="q=tanks", alert=Alert.IN_APP
    )
    claim_create(investigation=investigation, statement="Tanks crossed the border.", by=alice)
    claim_create(investigation=investigation, statement="Unrelated weather.", by=alice)
    assert fanout.run_alerts() == 1
    [alert] = _notes(bob, Kind.SEARCH)
    assert alert.search == search and alert.count == 1
    assert selectors.headline(alert, bob) == "1 new claims match your saved search “Tanks”."
    assert fanout.run_alerts() == 0  # each record once


def test_a_saved_search_says_nothing_of_an_investigation_its_owner_lost(
    member, investigation, elsewhere
):
    alice, bob = member("alice"), member("bob")
    MembershipFactory(investigation=elsewhere, user=bob, role=Role.RESEARCHER)
    MembershipFactory(investigation=elsewhere, user=alice, role=Role.RESEARCHER)
    services.saved_search_create(
        owner=bob, name="Tanks", target=SearchTarget.CLAIMS, query="q=tanks", alert=Alert.IN_APP
    )
    membership_remove(investigation=elsewhere, user=bob, by=None)
    claim_create(investigation=elsewhere, statement="Tanks in the other case.", by=alice)
    assert fanout.run_alerts() == 0 and _notes(bob) == []
    claim_create(investigation=investigation, statement="Tanks in this case.", by=alice)
    assert fanout.run_alerts() == 1


def test_a_search_narrowed_to_a_lost_investigation_alerts_nothing(member, investigation, elsewhere):
    alice, bob = member("alice"), member("bob")
    MembershipFactory(investigation=elsewhere, user=bob, role=Role.RESEARCHER)
    MembershipFactory(investigation=elsewhere, user=alice, role=Role.RESEARCHER)
    services.saved_search_create(
        owner=bob, name="Other", target=SearchTarget.CLAIMS, query="investigation=elsewhere",
        alert=Alert.IN_APP,
    )  # fmt: skip
    membership_remove(investigation=elsewhere, user=bob, by=None)
    claim_create(investigation=investigation, statement="In the case bob still has.", by=alice)
    assert fanout.run_alerts() == 0


def test_evidence_searches_alert_of_new_evidence(member, investigation):
    from evidence.services import evidence_create

    alice, bob = member("alice"), member("bob")
    services.saved_search_create(
        owner=bob, name="Videos", target=SearchTarget.EVIDENCE, query="kind=video",
        alert=Alert.EMAIL,
    )  # fmt: skip
    evidence_create(investigation=investigation, by=alice, title="T-64 in Makiivka", kind="video")
    evidence_create(investigation=investigation, by=alice, title="A statement", kind="document")
    fanout.fan_out()  # new records run the alerts
    [alert] = _notes(bob, Kind.SEARCH)
    assert alert.count == 1 and alert.mail in (Mail.DUE, Mail.SENT)


def test_saved_search_names_are_unique_per_owner(member):
    bob = member("bob")
    services.saved_search_create(owner=bob, name="Tanks", target="claims", query="page=3&q=t")
    with pytest.raises(ValidationError):
        services.saved_search_create(owner=bob, name="Tanks", target="claims", query="")
    assert services.clean_query("page=3&q=t") == "q=t"


def test_fan_out_of_an_import_nobody_watches_costs_a_few_queries(
    member, investigation, django_assert_max_num_queries
):
    from claims.services import claims_create_many

    alice = member("alice")
    fanout.fan_out()
    claims_create_many(
        [{"investigation": investigation, "statement": f"Imported {n}."} for n in range(200)],
        by=alice,
    )
    # savepoint, lock the watermark, the head, the watched entries, saved searches with
    # alerts, save, release
    with django_assert_max_num_queries(7):
        assert fanout.fan_out() == 0
    assert not Watch.objects.exists()  # an import's records are not watched by the importer
