import pytest
from django.urls import reverse

from claims.models import Denial
from tests.factories import ClaimantFactory, ClaimFactory, DenialFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_add_a_denial_with_quote_date_and_source(client, researcher):
    claim = ClaimFactory()
    source = SourceFactory(claim=claim)
    ministry = ClaimantFactory(name="Russian foreign ministry")
    client.force_login(researcher)
    response = client.post(
        reverse("claims:denial_create", args=[claim.pk]),
        {
            "claimant": ministry.pk,
            "kind": "outright",
            "stated": "June 2014",
            "quote": "another fake piece of information",
            "source": source.pk,
        },
        follow=True,
    )
    assert "Denial added." in response.content.decode()
    denial = claim.denials.get()
    assert (denial.claimant, denial.quote, str(denial.stated), denial.source) == (
        ministry, "another fake piece of information", "June 2014", source
    )  # fmt: skip
    assert "another fake piece of information" in response.content.decode()


def test_denial_source_must_be_one_of_the_claims(client, researcher):
    claim = ClaimFactory()
    foreign = SourceFactory()
    client.force_login(researcher)
    response = client.post(
        reverse("claims:denial_create", args=[claim.pk]),
        {"claimant": ClaimantFactory().pk, "kind": "outright", "source": foreign.pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Denial.objects.exists()


def test_edit_denial_detects_a_collision(client, researcher, reviewer):
    denial = DenialFactory(quote="First quote")
    url = reverse("claims:denial_update", args=[denial.claim_id, denial.pk])
    client.force_login(researcher)
    form = client.get(url).context["form"]
    base = {"claimant": denial.claimant_id, "kind": "outright", "version": form.initial["version"],
            "snapshot": form.initial["snapshot"]}  # fmt: skip
    assert client.post(url, base | {"quote": "Reviewer quote"}).status_code == 302
    response = client.post(url, base | {"quote": "My quote"})
    assert response.status_code == 200
    changes = {c.label: (c.before, c.after) for c in response.context["form"].conflict_changes}
    assert changes["Verbatim quote"] == ("First quote", "Reviewer quote")
    denial.refresh_from_db()
    assert denial.quote == "Reviewer quote"


def test_removing_a_denial_asks_first(client, researcher):
    denial = DenialFactory()
    url = reverse("claims:denial_delete", args=[denial.claim_id, denial.pk])
    client.force_login(researcher)
    assert "Remove this denial?" in client.get(url).content.decode()
    assert Denial.objects.exists()
    response = client.post(url, follow=True)
    assert "Denial removed." in response.content.decode()
    assert not Denial.objects.exists()


def test_denial_of_another_claim_is_not_found(client, researcher):
    denial = DenialFactory()
    other = ClaimFactory()
    client.force_login(researcher)
    url = reverse("claims:denial_update", args=[other.pk, denial.pk])
    assert client.get(url).status_code == 404
