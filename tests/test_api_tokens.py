"""Scoped API tokens: one investigation, read-only or read-write, shown once, revocable."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ScopedToken
from claims.models import Claim
from investigations.models import Investigation, Role
from tests.factories import ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(researcher):
    place = Investigation.objects.create(name="Second", slug="second")
    MembershipFactory(investigation=place, user=researcher, role=Role.RESEARCHER)
    return place


def _make(client, investigation, *, writable: bool) -> str:
    data = {
        "name": "Importer",
        "investigation": investigation.pk,
        "writable": "1" if writable else "",
    }
    page = client.post(reverse("tokens"), data)
    assert page.status_code == 200
    return page.context["key"]


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_read_only_token_reads_its_investigation_only_and_writes_nothing(
    client, researcher, investigation, second
):
    ClaimFactory(statement="Ours", investigation=investigation)
    theirs = ClaimFactory(statement="Second's", investigation=second)
    client.force_login(researcher)
    key = _make(client, investigation, writable=False)
    assert not ScopedToken.objects.filter(key_hash=key).exists()  # only a hash is kept
    api = _api(key)
    listed = api.get("/api/v1/claims/").json()["results"]
    assert [c["statement"] for c in listed] == ["Ours"]
    assert api.get(f"/api/v1/claims/{theirs.pk}/").status_code == 404
    assert [i["slug"] for i in api.get("/api/v1/investigations/").json()["results"]] == ["casework"]
    created = api.post("/api/v1/claims/", {"statement": "New"}, format="json")
    assert created.status_code == 403
    assert not Claim.objects.filter(statement="New").exists()


def test_a_read_write_token_writes_in_its_investigation_and_nowhere_else(
    client, researcher, investigation, second
):
    client.force_login(researcher)
    api = _api(_make(client, investigation, writable=True))
    made = api.post("/api/v1/claims/", {"statement": "Made by token"}, format="json")
    assert made.status_code == 201 and made.json()["investigation"] == "casework"
    elsewhere = api.post(
        "/api/v1/claims/", {"statement": "Elsewhere", "investigation": "second"}, format="json"
    )
    assert elsewhere.status_code == 400


def test_a_viewer_gets_no_read_write_token_and_a_revoked_token_stops_working(
    client, researcher, investigation
):
    watched = Investigation.objects.create(name="Watched", slug="watched")
    MembershipFactory(investigation=watched, user=researcher, role=Role.VIEWER)
    client.force_login(researcher)
    refused = client.post(
        reverse("tokens"), {"name": "X", "investigation": watched.pk, "writable": "1"}
    )
    assert "read-only" in refused.content.decode() and refused.context["key"] is None
    key = _make(client, investigation, writable=False)
    token = ScopedToken.objects.get()
    assert _api(key).get("/api/v1/claims/").status_code == 200
    client.post(reverse("token_revoke", args=[token.pk]))
    assert _api(key).get("/api/v1/claims/").status_code == 401
    # Another user's token is not theirs to see or revoke.
    client.force_login(UserFactory(username="nosy"))
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
