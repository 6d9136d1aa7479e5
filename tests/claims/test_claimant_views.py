import pytest
from django.urls import reverse

from claims.models import Claimant
from tests.factories import AttributionFactory, ClaimantFactory, ClaimFactory, DenialFactory

pytestmark = pytest.mark.django_db


def _post(**fields) -> dict:
    return {"name": "", "kind": "unknown", "parent": "", "aliases": "", "country": "",
            "description": ""} | fields  # fmt: skip


def test_create_a_claimant(client, researcher):
    ministry = ClaimantFactory(name="Ministry of Internal Affairs of Ukraine")
    client.force_login(researcher)
    response = client.post(
        reverse("claims:claimant_create"),
        _post(name="Arsen Avakov", kind="official", parent=ministry.pk, aliases="Арсен Аваков"),
        follow=True,
    )
    avakov = Claimant.objects.get(name="Arsen Avakov")
    assert response.redirect_chain[-1][0] == reverse("claims:claimant_detail", args=[avakov.pk])
    assert "Claimant added." in response.content.decode()
    assert avakov.parent == ministry and avakov.created_by == researcher


def test_duplicate_name_in_another_case_is_refused_on_the_field(client, researcher):
    ClaimantFactory(name="МИД России")
    client.force_login(researcher)
    response = client.post(reverse("claims:claimant_create"), _post(name="мид россии"))
    assert "A claimant with this name already exists." in response.content.decode()
    assert Claimant.objects.count() == 1


def test_parent_loop_is_refused_on_the_parent_field(client, researcher):
    government = ClaimantFactory(name="Government")
    ministry = ClaimantFactory(name="Ministry", parent=government)
    client.force_login(researcher)
    form = client.get(reverse("claims:claimant_update", args=[government.pk])).context["form"]
    response = client.post(
        reverse("claims:claimant_update", args=[government.pk]),
        _post(name="Government", parent=ministry.pk, version=form.initial["version"]),
    )
    assert response.context["form"].errors["parent"] == [
        "Ministry is already below Government: a parent chain cannot loop."
    ]
    government.refresh_from_db()
    assert government.parent is None


def test_claimant_edit_conflict(client, researcher):
    claimant = ClaimantFactory(name="NATO", country="")
    client.force_login(researcher)
    form = client.get(reverse("claims:claimant_update", args=[claimant.pk])).context["form"]
    stale = {"version": form.initial["version"], "snapshot": form.initial["snapshot"]}
    client.post(
        reverse("claims:claimant_update", args=[claimant.pk]),
        _post(name="NATO", country="Belgium", **stale),
    )
    response = client.post(
        reverse("claims:claimant_update", args=[claimant.pk]),
        _post(name="NATO", description="Alliance", **stale),
    )
    assert "Someone else saved this" in response.content.decode()
    changes = {c.label: c.after for c in response.context["form"].conflict_changes}
    assert changes == {"Country": "Belgium"}
    claimant.refresh_from_db()
    assert (claimant.country, claimant.description) == ("Belgium", "")


def test_detail_lists_what_it_claimed_endorsed_and_denied_and_its_family(client, researcher):
    government = ClaimantFactory(name="Government of Ukraine")
    ministry = ClaimantFactory(name="Ministry", parent=government)
    avakov = ClaimantFactory(name="Arsen Avakov", parent=ministry)
    AttributionFactory(
        claimant=avakov, role="originator", claim__statement="Tanks came from Russia"
    )
    AttributionFactory(claimant=avakov, role="endorser", claim__statement="Troops entered")
    DenialFactory(claimant=avakov, claim__statement="Ukraine shelled X", quote="Not true")
    client.force_login(researcher)
    response = client.get(reverse("claims:claimant_detail", args=[ministry.pk]))
    assert response.context["ancestors"] == [government]
    assert "Arsen Avakov" in response.content.decode()  # listed as a child
    response = client.get(reverse("claims:claimant_detail", args=[avakov.pk]))
    ctx = response.context
    assert [a.claim.statement for a in ctx["claimed"]] == ["Tanks came from Russia"]
    assert [a.claim.statement for a in ctx["endorsed"]] == ["Troops entered"]
    assert [d.claim.statement for d in ctx["denials"]] == ["Ukraine shelled X"]
    assert ctx["ancestors"] == [ministry, government]


def test_claimant_filters(client, researcher):
    ClaimantFactory(name="Russian foreign ministry", aliases="МИД России", kind="government_body",
                    country="Russia")  # fmt: skip
    ClaimantFactory(name="NATO", kind="military")
    client.force_login(researcher)

    def listed(**params):
        page = client.get(reverse("claims:claimant_list"), params).context["page"]
        return [c.name for c in page.object_list]

    assert listed(q="мид") == ["Russian foreign ministry"]
    assert listed(kind="military") == ["NATO"]
    assert listed(country="Russia") == ["Russian foreign ministry"]


def test_claimant_list_counts_claims(client, researcher):
    nato = ClaimantFactory(name="NATO")
    claim = ClaimFactory()
    AttributionFactory(claimant=nato, claim=claim, role="originator")
    AttributionFactory(claimant=nato, claim=claim, role="endorser")
    client.force_login(researcher)
    page = client.get(reverse("claims:claimant_list")).context["page"]
    assert page.object_list[0].claim_count == 1
