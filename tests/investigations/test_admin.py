"""The admin keeps the walls: staff see the records of their own investigations only;
superusers, who run the instance, see all."""

import pytest
from django.urls import reverse

from investigations.models import Investigation
from tests.factories import ClaimFactory, EvidenceItemFactory

pytestmark = pytest.mark.django_db


def test_staff_see_only_their_investigations_in_the_admin(client, staff_researcher, superuser):
    ours = ClaimFactory(statement="Ours to see")
    elsewhere = Investigation.objects.create(name="Elsewhere", slug="elsewhere")
    theirs = ClaimFactory(statement="Not ours", investigation=elsewhere)
    EvidenceItemFactory(title="Their item", investigation=elsewhere)
    client.force_login(staff_researcher)
    listed = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert ours.statement in listed and theirs.statement not in listed
    items = client.get(reverse("admin:evidence_evidenceitem_changelist")).content.decode()
    assert "Their item" not in items
    hidden = client.get(reverse("admin:claims_claim_change", args=[theirs.pk]), follow=True)
    assert "Not ours" not in hidden.content.decode()  # "doesn't exist", as any missing id
    add_form = client.get(reverse("admin:claims_claim_add")).context["adminform"].form
    assert [str(i) for i in add_form.fields["investigation"].queryset] == ["Casework"]
    client.force_login(superuser)
    everything = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert ours.statement in everything and theirs.statement in everything
