"""The working-together endpoints: the same rules as the pages, JSON errors."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investigations.models import Role
from teamwork import services
from teamwork.models import Assignment, Comment, Notification, SavedSearch
from tests.factories import ClaimFactory, EvidenceItemFactory

pytestmark = pytest.mark.django_db


def _as(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_comments_are_written_listed_edited_and_deleted(member):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory()
    api = _as(alice)
    made = api.post("/api/v1/comments/", {"claim": claim.pk, "text": "@bob *see* @ghost"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["mentioned"] == ["bob"] and body["not_mentioned"] == ["ghost"]
    assert "<em>see</em>" in body["html"] and body["author"] == "alice"
    listed = api.get(f"/api/v1/comments/?claim={claim.pk}").json()
    assert [c["text"] for c in listed["results"]] == ["@bob *see* @ghost"]
    changed = api.patch(f"/api/v1/comments/{body['id']}/", {"text": "better"}, format="json")
    assert changed.status_code == 200 and changed.json()["edited"] is not None
    assert _as(bob).patch(f"/api/v1/comments/{body['id']}/", {"text": "no"}).status_code == 403
    assert api.delete(f"/api/v1/comments/{body['id']}/").status_code == 204
    assert not Comment.objects.exists()


def test_bad_comments_get_a_json_error_and_nothing_is_written(member, elsewhere):
    api = _as(member("alice"))
    claim, item = ClaimFactory(), EvidenceItemFactory()
    too_long = api.post("/api/v1/comments/", {"claim": claim.pk, "text": "x" * 200_000})
    assert too_long.status_code == 400 and "at most 10,000" in too_long.json()["text"][0]
    both = api.post("/api/v1/comments/", {"claim": claim.pk, "evidence": item.pk, "text": "x"})
    assert both.status_code == 400 and "exactly one" in both.json()["claim"][0]
    other = ClaimFactory(investigation=elsewhere)
    hidden = api.post("/api/v1/comments/", {"claim": other.pk, "text": "x"})
    assert hidden.status_code == 400 and "does not exist" in hidden.json()["claim"][0]
    assert api.get(f"/api/v1/comments/?claim={other.pk}").json()["results"] == []
    assert not Comment.objects.exists()


def test_a_viewer_cannot_comment(member):
    api = _as(member("val", Role.VIEWER))
    response = api.post("/api/v1/comments/", {"claim": ClaimFactory().pk, "text": "x"})
    assert response.status_code == 403 and "detail" in response.json()


def test_assignments_through_the_api(member):
    alice, bob, viewer = member("alice"), member("bob"), member("val", Role.VIEWER)
    item = EvidenceItemFactory()
    api = _as(alice)
    made = api.post("/api/v1/assignments/", {"evidence": item.pk, "user": "bob"})
    assert made.status_code == 201, made.json()
    assert made.json()["user"] == "bob"
    refused = api.post("/api/v1/assignments/", {"evidence": item.pk, "user": "val"})
    assert refused.status_code == 400 and "viewer" in refused.json()["user"][0]
    ghost = api.post("/api/v1/assignments/", {"evidence": item.pk, "user": "ghost"})
    assert ghost.status_code == 400 and "not a member" in ghost.json()["user"][0]
    assert _as(bob).get("/api/v1/assignments/?mine=true").json()["count"] == 1
    assert api.get("/api/v1/assignments/?mine=true").json()["count"] == 0
    assert api.delete(f"/api/v1/assignments/{made.json()['id']}/").status_code == 204
    assert not Assignment.objects.exists() and viewer.pk


def test_assigned_to_me_filters_the_claim_endpoint(member):
    alice = member("alice")
    mine, other = ClaimFactory(), ClaimFactory()
    services.assignment_add(record=mine, user=alice, by=alice)
    ids = [c["id"] for c in _as(alice).get("/api/v1/claims/?assigned=me").json()["results"]]
    assert ids == [mine.pk] and other.pk not in ids


def test_notifications_list_and_mark_read(member, investigation):
    alice, bob = member("alice"), member("bob")
    claim = ClaimFactory(statement="Tanks")
    services.comment_create(record=claim, by=bob, text="@alice")
    services.assignment_add(record=claim, user=alice, by=bob)
    api = _as(alice)
    listed = api.get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 2
    first = listed["results"][0]
    assert first["available"] and first["url"] == f"/claims/{claim.pk}/"
    assert "Tanks" in first["text"]
    read = api.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    theirs = Notification.objects.create(recipient=bob, kind="mention", updated=claim.updated)
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404


def test_a_notification_of_a_left_investigation_says_nothing_of_it(member, investigation):
    from investigations.services import membership_remove

    alice, bob = member("alice"), member("bob")
    services.comment_create(record=ClaimFactory(statement="Secret"), by=bob, text="@alice hush")
    membership_remove(investigation=investigation, user=alice, by=None)
    [shown] = _as(alice).get("/api/v1/notifications/").json()["results"]
    assert shown["available"] is False
    assert shown["claim"] is None and shown["excerpt"] is None and shown["url"] is None
    assert "Secret" not in shown["text"]


def test_saved_searches_through_the_api(member):
    alice, bob = member("alice"), member("bob")
    api = _as(alice)
    made = api.post(
        "/api/v1/saved-searches/",
        {"name": "Videos", "target": "evidence", "query": "kind=video&page=4", "alert": "digest"},
    )
    assert made.status_code == 201, made.json()
    assert made.json()["query"] == "kind=video" and made.json()["url"] == "/evidence/?kind=video"
    pk = made.json()["id"]
    assert api.patch(f"/api/v1/saved-searches/{pk}/", {"alert": ""}).json()["alert"] == ""
    bad = api.post("/api/v1/saved-searches/", {"name": "", "target": "claims"})
    assert bad.status_code == 400 and "name" in bad.json()
    assert _as(bob).get(f"/api/v1/saved-searches/{pk}/").status_code == 404
    assert api.delete(f"/api/v1/saved-searches/{pk}/").status_code == 204
    assert not SavedSearch.objects.exists()
