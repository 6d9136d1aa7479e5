"""Malformed input anywhere gives a page with a message or a 4xx, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, DenialFactory, EvidenceLinkFactory

pytestmark = pytest.mark.django_db

FILTER_KEYS = (
    "q", "verdict", "tag", "claimant", "denied", "contradicted", "made_from", "made_to", "sort",
    "page", "kind", "country", "review_status", "provider", "captured_from", "captured_to", "claim",
)  # fmt: skip
NONSENSE = ["abc", "-1", "99999999999999999999", "'; DROP TABLE claims;--", "\x00", "２"]


@pytest.fixture
def ids(db):
    link = EvidenceLinkFactory()
    return {"claim": link.claim_id, "link": link.pk, "denial": DenialFactory(claim=link.claim).pk}


def test_list_filters_with_nonsense_values(client, researcher, ids):
    client.force_login(researcher)
    for url in (reverse("claims:claim_list"), reverse("claims:claimant_list"),
                reverse("evidence:evidence_list")):  # fmt: skip
        for value in NONSENSE:
            params = dict.fromkeys(FILTER_KEYS, value)
            response = client.get(url, params)
            assert response.status_code == 200, (url, value)


def test_forms_with_nonsense_values(client, researcher, ids):
    client.force_login(researcher)
    claim = ids["claim"]
    for value in NONSENSE:
        posts = {
            reverse("evidence:link_create", args=[claim]): {"evidence": value, "relation": value},
            reverse("evidence:evidence_create") + f"?claim={claim}": {
                "kind": value, "title": value, "latitude": value, "provider": value,
                "captured_from": value, "link-relation": value,
            },
            reverse("claims:denial_create", args=[claim]): {"claimant": value, "stated": value},
            reverse("claims:claimant_create"): {"name": value, "parent": value, "kind": value},
            reverse("evidence:link_update", args=[ids["link"]]): {"strength": value},
        }  # fmt: skip
        for url, data in posts.items():
            response = client.post(url, data)
            assert response.status_code in (200, 302), (url, value, response.status_code)


def test_claim_form_with_broken_management_data(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("claims:claim_create"),
        {"statement": "x", "verdict": "unverified", "sources-TOTAL_FORMS": "abc"},
    )
    assert response.status_code == 200
    assert "ManagementForm data is missing or has been tampered with" in response.content.decode()


def test_query_parameters_that_name_nothing(client, researcher):
    claim = ClaimFactory()
    client.force_login(researcher)
    assert client.get(reverse("evidence:evidence_create"), {"claim": "abc"}).status_code == 404
    assert client.get(reverse("evidence:evidence_create"), {"claim": "999999"}).status_code == 404
    assert client.get(reverse("evidence:evidence_create"), {"claim": claim.pk}).status_code == 200


def test_over_long_ids_in_urls_are_not_found(client, researcher, ids):
    client.force_login(researcher)
    huge = "9" * 20
    for path in (f"/claims/{huge}/", f"/claims/{huge}/denials/{ids['denial']}/edit/",
                 f"/claims/{ids['claim']}/denials/{huge}/edit/", f"/evidence/{huge}/file",
                 f"/links/{huge}/edit/", f"/claims/{huge}/evidence/link/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
