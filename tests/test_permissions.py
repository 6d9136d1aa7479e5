"""Who may open which page: every page, every role.

Anonymous users are sent to the login page; a logged-in user in neither group gets 403
everywhere; researchers and reviewers can read and write.
"""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evidence.services import evidence_create
from tests.factories import (
    ClaimantFactory,
    ClaimFactory,
    DenialFactory,
    EvidenceLinkFactory,
    default_investigation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(researcher):
    claim = ClaimFactory()
    item = evidence_create(
        investigation=default_investigation(),
        kind="photo",
        title="Photo",
        file=ContentFile(_png(), name="p.png"),
        by=researcher,
    )
    return {
        "claim": claim,
        "claimant": ClaimantFactory(),
        "denial": DenialFactory(claim=claim),
        "item": item,
        "link": EvidenceLinkFactory(claim=claim, evidence=item),
    }


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()


def _pages(w) -> list[str]:
    c, d = w["claim"].pk, w["denial"].pk
    return [
        reverse("dashboard"),
        reverse("claims:claim_list"),
        reverse("claims:claim_create"),
        reverse("claims:claim_detail", args=[c]),
        reverse("claims:claim_update", args=[c]),
        reverse("claims:claim_timeline", args=[c]),
        reverse("claims:denial_create", args=[c]),
        reverse("claims:denial_update", args=[c, d]),
        reverse("claims:denial_delete", args=[c, d]),
        reverse("claims:claimant_list"),
        reverse("claims:claimant_create"),
        reverse("claims:claimant_detail", args=[w["claimant"].pk]),
        reverse("claims:claimant_update", args=[w["claimant"].pk]),
        reverse("evidence:evidence_list"),
        reverse("evidence:evidence_create"),
        reverse("evidence:evidence_create") + f"?claim={c}",
        reverse("evidence:evidence_detail", args=[w["item"].pk]),
        reverse("evidence:evidence_update", args=[w["item"].pk]),
        reverse("evidence:evidence_thumbnail", args=[w["item"].pk]),
        reverse("evidence:evidence_file", args=[w["item"].pk]),
        reverse("evidence:link_create", args=[c]),
        reverse("evidence:link_update", args=[w["link"].pk]),
        reverse("evidence:link_delete", args=[w["link"].pk]),
    ]


def test_anonymous_users_are_sent_to_login_from_every_page(client, world):
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={quote(url)}", url


def test_users_outside_the_groups_get_403_everywhere(client, world, outsider):
    client.force_login(outsider)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 403, url
    # The 403 page is the site's own, and explains what to do.
    assert b"ask yours to add you to the right group" in response.content


def test_outsiders_cannot_write_either(client, world, outsider):
    client.force_login(outsider)
    claim = world["claim"]
    for url in (
        reverse("claims:claim_create"),
        reverse("claims:denial_delete", args=[claim.pk, world["denial"].pk]),
        reverse("evidence:link_delete", args=[world["link"].pk]),
    ):
        assert client.post(url, {"statement": "x"}).status_code == 403, url
    assert claim.denials.count() == 1 and claim.evidence_links.count() == 1


@pytest.mark.parametrize("role", ["researcher", "reviewer"])
def test_researchers_and_reviewers_open_every_page(client, world, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url


def test_unknown_records_give_the_sites_404(client, researcher):
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_detail", args=[999999]))
    assert response.status_code == 404
    assert b"Nothing here" in response.content


@pytest.mark.parametrize("role", ["researcher", "reviewer"])
def test_researchers_and_reviewers_create_and_edit(client, request, role):
    from claims.models import Claim, Claimant

    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(
        reverse("claims:claimant_create"), {"name": f"Claimant of {role}", "kind": "person"}
    )
    assert response.status_code == 302
    data = {"statement": f"Claim by {role}", "verdict": "unverified"}
    for prefix in ("sources", "attributions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    assert client.post(reverse("claims:claim_create"), data).status_code == 302
    claim = Claim.objects.get(created_by=user)
    edit = client.get(reverse("claims:claim_update", args=[claim.pk])).context["form"]
    data |= {"statement": "Edited", "version": edit.initial["version"]}
    assert client.post(reverse("claims:claim_update", args=[claim.pk]), data).status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Edited"
    assert Claimant.objects.get(created_by=user).name == f"Claimant of {role}"
