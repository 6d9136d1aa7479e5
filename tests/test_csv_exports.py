"""Every list page exports its filtered selection as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import ClaimantFactory, EvidenceItemFactory, EvidenceLinkFactory

pytestmark = pytest.mark.django_db


def _rows(client, name: str, **params) -> list[dict]:
    response = client.get(reverse(name), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_claimant_list_csv_follows_the_filters(client, researcher):
    ministry = ClaimantFactory(name="Министерство обороны", kind="government_body",
                               aliases="MoD\nМинобороны", country="Russia")  # fmt: skip
    ClaimantFactory(name="NATO", kind="military")
    client.force_login(researcher)
    rows = _rows(client, "claims:claimant_list_csv", kind="government_body")
    assert [(r["name"], r["aliases"], r["country"]) for r in rows] == [
        ("Министерство обороны", "MoD; Минобороны", "Russia")
    ]
    assert rows[0]["url"].endswith(f"/claimants/{ministry.pk}/")


def test_evidence_list_csv_follows_the_filters(client, researcher):
    item = EvidenceItemFactory(title="Спутниковый снимок", kind="satellite_image",
                               location_name="Rostov")  # fmt: skip
    EvidenceLinkFactory(evidence=item)
    EvidenceItemFactory(title="Other", kind="photo")
    client.force_login(researcher)
    rows = _rows(client, "evidence:evidence_list_csv", kind="satellite_image")
    assert [(r["title"], r["location"], r["claims"], r["review_status"]) for r in rows] == [
        ("Спутниковый снимок", "Rostov", "1", "Pending review")
    ]


@pytest.mark.parametrize(
    "name", ["claims:claim_list_csv", "claims:claimant_list_csv", "evidence:evidence_list_csv"]
)
def test_csv_exports_need_a_group(client, outsider, name):
    assert client.get(reverse(name)).status_code == 302  # anonymous: to the login page
    client.force_login(outsider)
    assert client.get(reverse(name)).status_code == 403
