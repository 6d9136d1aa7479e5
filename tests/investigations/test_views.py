"""The investigation switcher, the list of one's investigations and a lead's members page."""

import pytest
from django.urls import reverse

from claims.models import Claim
from core.models import HistoryEntry
from investigations.models import Investigation, Membership, Role
from tests.factories import ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(researcher):
    place = Investigation.objects.create(name="Makiivka videos", slug="makiivka")
    MembershipFactory(investigation=place, user=researcher, role=Role.LEAD)
    return place


def test_the_switcher_sets_what_lists_show_and_all_shows_everything(
    client, researcher, investigation, second
):
    ClaimFactory(statement="In casework", investigation=investigation)
    ClaimFactory(statement="In Makiivka", investigation=second)
    client.force_login(researcher)

    def listed():
        page = client.get(reverse("claims:claim_list")).context["page"]
        return [claim.statement for claim in page.object_list]

    assert sorted(listed()) == ["In Makiivka", "In casework"]
    switched = client.post(
        reverse("investigations:investigation_switch"),
        {"investigation": "makiivka", "next": reverse("claims:claim_list")},
        follow=True,
    )
    assert "Working in “Makiivka videos”." in switched.content.decode()
    assert listed() == ["In Makiivka"]
    client.post(reverse("investigations:investigation_switch"), {"investigation": ""})
    assert sorted(listed()) == ["In Makiivka", "In casework"]
    # Someone else's investigation cannot be switched to.
    Investigation.objects.create(name="Secret", slug="secret")
    client.post(reverse("investigations:investigation_switch"), {"investigation": "secret"})
    assert sorted(listed()) == ["In Makiivka", "In casework"]


def test_my_investigations_lists_each_with_my_role(client, researcher, second):
    client.force_login(researcher)
    html = client.get(reverse("investigations:investigation_list")).content.decode()
    assert "Makiivka videos" in html and "Casework" in html
    assert html.count(">Members</a>") == 1  # only where I am lead


def test_a_lead_adds_changes_and_removes_members_in_the_history(client, researcher, second):
    UserFactory(username="nina")
    url = reverse("investigations:investigation_members", args=["makiivka"])
    client.force_login(researcher)
    added = client.post(url, {"action": "add", "username": "nina", "role": "viewer"}, follow=True)
    assert "nina added." in added.content.decode()
    nina = Membership.objects.get(investigation=second, user__username="nina")
    client.post(url, {"action": "change", "membership": nina.pk, "role": "researcher"})
    nina.refresh_from_db()
    assert nina.role == Role.RESEARCHER
    client.post(url, {"action": "remove", "membership": nina.pk})
    assert not Membership.objects.filter(pk=nina.pk).exists()
    logged = HistoryEntry.objects.filter(model="investigations.membership", username="rita")
    assert list(logged.values_list("action", flat=True)) == ["created", "changed", "deleted"]
    unknown = client.post(url, {"action": "add", "username": "nobody", "role": "viewer"})
    assert "No account with this username." in unknown.content.decode()
    lead = Membership.objects.get(investigation=second, user=researcher)
    last = client.post(url, {"action": "remove", "membership": lead.pk}, follow=True)
    assert "is the last lead" in last.content.decode()


def test_only_a_lead_manages_and_outsiders_get_404(client, researcher, reviewer, second):
    MembershipFactory(investigation=second, user=reviewer, role=Role.REVIEWER)
    url = reverse("investigations:investigation_members", args=["makiivka"])
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.get(url).status_code == 404


def test_archiving_makes_the_investigation_read_only_for_everyone(client, researcher, second):
    claim = ClaimFactory(investigation=second, statement="Before")
    url = reverse("investigations:investigation_members", args=["makiivka"])
    client.force_login(researcher)
    archived = client.post(url, {"action": "archive"}, follow=True)
    assert "Archived: nothing in it can be changed now." in archived.content.decode()
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "Edit claim" not in page  # nothing is offered
    data = {"statement": "After", "verdict": "unverified"}
    for prefix in ("sources", "attributions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    refused = client.post(reverse("claims:claim_update", args=[claim.pk]), data)
    assert "is archived, so nothing in it can be changed" in refused.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "Before"
    client.post(url, {"action": "reopen"})
    assert client.post(reverse("claims:claim_update", args=[claim.pk]), data).status_code == 302
    assert Claim.objects.get(pk=claim.pk).statement == "After"
