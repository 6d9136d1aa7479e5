"""The REST API (first part: claims, claimants, tags): the same permissions as the web
pages, writes through the services, JSON errors, and an OpenAPI schema without warnings."""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim, Claimant
from core.models import HistoryEntry
from tests.factories import ClaimantFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user) -> APIClient:
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_anonymous_calls_get_401_in_json(api):
    response = api.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claimants/", "/api/v1/tags/"])
def test_users_outside_the_groups_read_nothing(api, outsider, url):
    assert _as(api, outsider).get(url).status_code == 403


def test_create_read_and_update_a_claim(api, researcher):
    _as(api, researcher)
    response = api.post(
        "/api/v1/claims/",
        {"statement": "Танки пересекли границу.", "made": "June 2014", "tags": ["Ukraine"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["made"] == {"date": "2014-06", "precision": "month", "text": "June 2014"}
    assert body["tags"] == ["Ukraine"] and body["created_by"] == "rita" and body["version"] == 1
    claim = Claim.objects.get(uuid=body["uuid"])
    assert HistoryEntry.objects.filter(claim_id=claim.pk, action="created").exists()

    listed = api.get("/api/v1/claims/", {"q": "ТАНКИ"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == claim.pk
    assert listed["count_estimated"] is False

    changed = api.patch(f"/api/v1/claims/{claim.pk}/", {"verdict": "disputed", "version": 1},
                        format="json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["verdict"] == "disputed"
    stale = api.patch(f"/api/v1/claims/{claim.pk}/", {"verdict": "refuted", "version": 1},
                      format="json")  # fmt: skip
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    claim.refresh_from_db()
    assert claim.verdict == "disputed"


def test_claims_cannot_be_deleted_through_the_api(api, reviewer, superuser):
    claim = ClaimFactory()
    assert _as(api, reviewer).delete(f"/api/v1/claims/{claim.pk}/").status_code == 405
    # A superuser who is no member of any investigation reads and writes nothing here.
    api = APIClient()
    assert _as(api, superuser).delete(f"/api/v1/claims/{claim.pk}/").status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claimants_with_aliases_and_the_loop_rule(api, researcher):
    _as(api, researcher)
    government = ClaimantFactory(name="Government")
    ministry = {"name": "Ministry", "kind": "government_body", "parent": government.pk,
                "aliases": ["Міністерство"]}  # fmt: skip
    created = api.post("/api/v1/claimants/", ministry, format="json")
    assert created.status_code == 201 and created.json()["aliases"] == ["Міністерство"]
    loop = api.patch(f"/api/v1/claimants/{government.pk}/", {"parent": created.json()["id"]},
                     format="json")  # fmt: skip
    assert loop.status_code == 400
    assert "a parent chain cannot loop" in loop.json()["parent"][0]
    duplicate = api.post("/api/v1/claimants/", {"name": "ministry"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"__all__": ["A claimant with this name already exists."]}
    assert Claimant.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"statement": ["a", "list"]}', "application/json"),
        ('{"statement": "x", "made": {"date": 12}}', "application/json"),
        ('{"statement": "x", "made": "Juni 2014"}', "application/json"),
        ('{"statement": "x", "verdict": "probably"}', "application/json"),
        ('{"statement": "x", "tags": "not a list"}', "application/json"),
        ('{"statement": ""}', "application/json"),
        ("\x00\x01", "application/octet-stream"),
    ],
)
def test_malformed_input_gets_a_4xx_json_answer(api, researcher, body, content_type):
    response = _as(api, researcher).generic("POST", "/api/v1/claims/", body, content_type)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"
    assert not Claim.objects.exists()


def test_unknown_and_huge_ids(api, researcher):
    _as(api, researcher)
    assert api.get("/api/v1/claims/999999/").status_code == 404
    assert api.get("/api/v1/claims/" + "9" * 30 + "/").status_code == 404
    assert api.get("/api/v1/claims/", {"claimant": "9" * 30}).status_code == 400


def test_schema_generates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/claims/" in out.getvalue()


def test_schema_and_docs_need_login_and_load_nothing_from_a_cdn(client, researcher):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    client.force_login(researcher)
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


ENDPOINTS = ["claims", "claimants", "tags", "sources", "attributions", "denials", "evidence",
             "links"]  # fmt: skip


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_refuses_anonymous_and_outsiders(api, outsider, name):
    assert api.get(f"/api/v1/{name}/").status_code == 401
    assert _as(api, outsider).get(f"/api/v1/{name}/").status_code == 403


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_lists_for_researchers(api, researcher, name):
    response = _as(api, researcher).get(f"/api/v1/{name}/")
    assert response.status_code == 200 and "results" in response.json()


def test_sources_attributions_and_denials(api, researcher):
    _as(api, researcher)
    claim, nato = ClaimFactory(), ClaimantFactory(name="NATO")
    source = api.post("/api/v1/sources/", {"claim": claim.pk, "outlet": "BBC",
                      "url": "https://bbc.com/a"}, format="json")  # fmt: skip
    assert source.status_code == 201
    said = api.post("/api/v1/attributions/", {"claim": claim.pk, "claimant": nato.pk,
                    "role": "endorser", "stated": "12 June 2014",
                    "source": source.json()["id"]}, format="json")  # fmt: skip
    assert said.status_code == 201 and said.json()["stated"]["text"] == "12 June 2014"
    denial = api.post("/api/v1/denials/", {"claim": claim.pk, "claimant": nato.pk,
                      "quote": "fake"}, format="json")  # fmt: skip
    assert denial.status_code == 201
    assert api.get("/api/v1/denials/", {"claim": claim.pk}).json()["count"] == 1
    assert api.delete(f"/api/v1/denials/{denial.json()['id']}/").status_code == 204
    assert not claim.denials.exists()
    assert HistoryEntry.objects.filter(model="claims.denial", action="deleted").exists()
    other = ClaimFactory()
    foreign = api.post("/api/v1/attributions/", {"claim": other.pk, "claimant": nato.pk,
                       "source": source.json()["id"]}, format="json")  # fmt: skip
    assert foreign.status_code == 400
    assert foreign.json()["source"] == ["Choose one of this claim's sources."]


def test_evidence_upload_goes_through_the_intake(api, researcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.models import EvidenceItem
    from tests import files

    _as(api, researcher)
    created = api.post("/api/v1/evidence/", {"kind": "photo", "title": "Column",
                       "captured_from": "11 June 2014",
                       "file": SimpleUploadedFile("c.jpg", files.jpeg_with_exif())},
                       format="multipart")  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["media_type"] == "image/jpeg" and len(body["sha256"]) == 64
    assert body["metadata"]["exif"]["camera_make"] == "TestCam"
    assert body["captured_from"]["text"] == "11 June 2014" and body["review_status"] == "pending"
    refused = api.post("/api/v1/evidence/", {"kind": "photo", "title": "Page",
                       "file": SimpleUploadedFile("p.jpg", files.HTML_AS_JPEG)},
                       format="multipart")  # fmt: skip
    assert refused.status_code == 400
    assert "this one is an HTML document" in refused.json()["file"][0]
    again = api.post("/api/v1/evidence/", {"kind": "photo", "title": "Again",
                     "file": SimpleUploadedFile("c2.jpg", files.jpeg_with_exif())},
                     format="multipart")  # fmt: skip
    assert again.status_code == 400 and "already evidence" in again.json()["file"][0]
    assert EvidenceItem.objects.count() == 1
    item_id = body["id"]
    cannot = api.patch(f"/api/v1/evidence/{item_id}/", {"review_status": "approved"},
                       format="json")  # fmt: skip
    assert cannot.status_code == 200 and cannot.json()["review_status"] == "pending"


def test_review_permissions_and_four_eyes(api, researcher, reviewer):
    from tests.factories import EvidenceItemFactory

    mine = EvidenceItemFactory(created_by=reviewer)
    theirs = EvidenceItemFactory(created_by=researcher)
    refused = _as(api, researcher).post(f"/api/v1/evidence/{theirs.pk}/review/",
                                        {"status": "approved"}, format="json")  # fmt: skip
    assert refused.status_code == 403
    api = _as(APIClient(), reviewer)
    own = api.post(f"/api/v1/evidence/{mine.pk}/review/", {"status": "approved"}, format="json")
    assert own.status_code == 400
    assert own.json()["review_status"] == [
        "You added this evidence item, so someone else must review it."
    ]
    no_note = api.post(f"/api/v1/evidence/{theirs.pk}/review/", {"status": "rejected"},
                       format="json")  # fmt: skip
    assert no_note.status_code == 400 and "a note is required" in no_note.json()["review_note"][0]
    decision = {"status": "approved", "authenticity": "OriginalMediaContent"}
    ok = api.post(f"/api/v1/evidence/{theirs.pk}/review/", decision, format="json")
    assert ok.status_code == 200 and ok.json()["review_status"] == "approved"
    assert ok.json()["media_authenticity"] == "OriginalMediaContent"


def test_links_through_the_api_enter_the_custody_log(api, researcher):
    from evidence.models import CustodyEvent
    from tests.factories import EvidenceItemFactory

    claim, item = ClaimFactory(), EvidenceItemFactory()
    _as(api, researcher)
    link = api.post("/api/v1/links/", {"claim": claim.pk, "evidence": item.pk,
                    "relation": "contradicts", "strength": "strong"}, format="json")  # fmt: skip
    assert link.status_code == 201
    twice = api.post("/api/v1/links/", {"claim": claim.pk, "evidence": item.pk,
                     "relation": "supports"}, format="json")  # fmt: skip
    assert twice.status_code == 400
    assert api.delete(f"/api/v1/links/{link.json()['id']}/").status_code == 204
    actions = list(CustodyEvent.objects.filter(evidence=item).values_list("action", flat=True))
    assert actions == ["linked", "unlinked"]


def test_a_token_is_issued_for_a_username_and_password(api, researcher):
    refused = api.post("/api/v1/token/", {"username": "rita", "password": "wrong"}, format="json")
    assert refused.status_code == 400
    issued = api.post("/api/v1/token/", {"username": "rita",
                      "password": "correct horse battery staple"}, format="json")  # fmt: skip
    token = issued.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/claims/").status_code == 200


def test_the_api_root_lists_every_endpoint(api, researcher):
    listed = _as(api, researcher).get("/api/v1/").json()
    assert set(listed) == {"investigations", "claims", "claimants", "tags", "sources",
                           "attributions", "denials", "evidence", "links", "comments",
                           "assignments", "notifications", "saved-searches"}  # fmt: skip
    assert listed["claims"].endswith("/api/v1/claims/")
    page = api.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "/api/v1/evidence/" in page.content.decode()


def test_claims_are_read_through_the_claim_lists_selector(api, researcher, reviewer):
    """Every filter of the web list works here, the flags included (they need the
    balance the list's selector computes)."""
    from tests.factories import EvidenceLinkFactory

    disagreeing = ClaimFactory(statement="Said supported", verdict="supported")
    EvidenceLinkFactory(
        claim=disagreeing, relation="contradicts", evidence__review_status="approved",
        evidence__reviewed_by=reviewer, evidence__reviewed_at="2014-06-12T00:00Z",
    )  # fmt: skip
    ClaimFactory(statement="Quiet", verdict="supported")
    response = _as(api, researcher).get("/api/v1/claims/", {"flags": "disagrees"})
    assert response.status_code == 200
    assert [c["statement"] for c in response.json()["results"]] == ["Said supported"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"captured_to": "2014"}, "captured_from", "Give the start of the capture range too."),
        ({"captured_from": "June 2014", "captured_to": "12 June 2014"}, "captured_to",
         "Give both ends of the capture range to the same precision."),
        ({"captured_from": "11 June 2014", "captured_to": "30 May 2014"}, "captured_to",
         "The capture range must not end before it starts."),
    ],
)  # fmt: skip
def test_the_api_refuses_a_bad_capture_range_as_the_form_does(api, researcher, fields, field,
                                                               message):  # fmt: skip
    body = {"kind": "photo", "title": "Column", **fields}
    response = _as(api, researcher).post("/api/v1/evidence/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()[field]


def test_claims_are_created_in_a_named_investigation_and_stay_there(api, researcher):
    from investigations.models import Investigation, Role
    from tests.factories import MembershipFactory

    second = Investigation.objects.create(name="Second", slug="second")
    MembershipFactory(investigation=second, user=researcher, role=Role.RESEARCHER)
    Investigation.objects.create(name="Not mine", slug="not-mine")
    client = _as(api, researcher)
    unnamed = client.post("/api/v1/claims/", {"statement": "Tanks."}, format="json")
    assert unnamed.status_code == 400
    assert "you can add to several" in unnamed.json()["investigation"][0]
    refused = client.post(
        "/api/v1/claims/", {"statement": "Tanks.", "investigation": "not-mine"}, format="json"
    )
    assert refused.status_code == 400 and "investigation" in refused.json()
    created = client.post(
        "/api/v1/claims/", {"statement": "Tanks.", "investigation": "second"}, format="json"
    )
    assert created.status_code == 201 and created.json()["investigation"] == "second"
    moved = client.patch(
        f"/api/v1/claims/{created.json()['id']}/", {"investigation": "casework"}, format="json"
    )
    assert moved.status_code == 400
    assert Claim.objects.get(pk=created.json()["id"]).investigation == second


def test_my_investigations_with_my_role_and_lists_filtered_by_one(api, researcher):
    from investigations.models import Investigation, Role
    from tests.factories import MembershipFactory

    second = Investigation.objects.create(name="Second", slug="second")
    MembershipFactory(investigation=second, user=researcher, role=Role.VIEWER)
    Investigation.objects.create(name="Not mine", slug="not-mine")
    ClaimFactory(statement="Casework claim")
    ClaimFactory(statement="Second claim", investigation=second)
    client = _as(api, researcher)
    mine = client.get("/api/v1/investigations/").json()["results"]
    assert [(i["slug"], i["role"]) for i in mine] == [("casework", "researcher"),
                                                      ("second", "viewer")]  # fmt: skip
    assert client.get("/api/v1/investigations/not-mine/").status_code == 404
    only = client.get("/api/v1/claims/", {"investigation": "second"}).json()["results"]
    assert [c["statement"] for c in only] == ["Second claim"]
    assert client.get("/api/v1/claims/", {"investigation": "not-mine"}).status_code == 400


def test_a_long_list_pages_as_the_web_list_does(api, researcher, monkeypatch):
    from django.db import connection

    from core import pagination
    from tests.factories import ClaimFactory

    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 4)
    for n in range(12):
        ClaimFactory(statement=f"Claim {n:02}")
    _as(api, researcher)
    first = api.get("/api/v1/claims/", {"page_size": 5}).json()
    assert [c["statement"] for c in first["results"]] == [
        f"Claim {n:02}" for n in (11, 10, 9, 8, 7)
    ]
    if connection.vendor == "postgresql":  # more than the limit: the planner's estimate
        assert first["count_estimated"] is True and first["count"] >= 5
    else:
        assert (first["count"], first["count_estimated"]) == (12, False)
        last = api.get("/api/v1/claims/", {"page_size": 5, "page": 3}).json()  # from the end
        assert [c["statement"] for c in last["results"]] == ["Claim 01", "Claim 00"]
