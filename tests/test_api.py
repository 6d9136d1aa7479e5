"""The REST API (first part: claims, claimants, tags): the same permissions as the web
pages, writes through the services, JSON errors, and an OpenAPI schema without warnings."""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim, Claimant
from corroborate.models import HistoryEntry
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
    assert _as(api, reviewer).delete(f"/api/v1/claims/{claim.pk}/").status_code == 403
    api = APIClient()
    assert _as(api, superuser).delete(f"/api/v1/claims/{claim.pk}/").status_code == 405
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
