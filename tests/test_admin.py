"""The admin: every model's pages answer staff, refuse anonymous users, and keep the rules."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from tests import files
from tests.factories import ClaimFactory, EvidenceItemFactory, default_investigation

pytestmark = pytest.mark.django_db

MODELS = [Claim, Claimant, Tag, Source, Attribution, Denial, EvidenceItem, EvidenceLink]


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def demo(db):
    call_command("load_demo")


@pytest.mark.parametrize("role", ["superuser", "staff_researcher", "staff_reviewer"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_answer_staff(client, request, demo, model, role):
    client.force_login(request.getfixturevalue(role))
    obj = model.objects.first()
    for url in (
        _url(model, "changelist"),
        _url(model, "changelist") + "?q=NATO",
        _url(model, "add"),
        _url(model, "change", obj.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_redirects_anonymous_users_to_login(client, demo, model):
    obj = model.objects.first()
    for url in (_url(model, "changelist"), _url(model, "change", obj.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={quote(url)}"


def test_staff_outside_the_groups_are_refused(client, demo):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="bystander", is_staff=True))
    assert client.get(_url(Claim, "changelist")).status_code == 403


def test_claim_change_page_has_its_inlines(client, superuser, demo):
    client.force_login(superuser)
    claim = Claim.objects.get(statement__contains="three unmarked tanks")
    html = client.get(_url(Claim, "change", claim.pk)).content.decode()
    for prefix in (
        "sources-TOTAL_FORMS",
        "attributions-TOTAL_FORMS",
        "denials-TOTAL_FORMS",
        "evidence_links-TOTAL_FORMS",
    ):
        assert prefix in html
    assert "another fake piece of information" in html


def test_admin_refuses_a_parent_loop_with_the_message(client, superuser, demo):
    client.force_login(superuser)
    government = Claimant.objects.get(name="Government of Ukraine")
    avakov = Claimant.objects.get(name="Arsen Avakov")
    response = client.post(
        _url(Claimant, "change", government.pk),
        {
            "name": government.name,
            "kind": government.kind,
            "parent": avakov.pk,
            "aliases": "",
            "country": "Ukraine",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert "a parent chain cannot loop" in response.content.decode()
    government.refresh_from_db()
    assert government.parent is None


def test_admin_add_claim_with_inline_attribution_records_the_author(client, staff_researcher):
    claimant = Claimant.objects.create(name="NATO", name_key="nato", created_by=staff_researcher)
    client.force_login(staff_researcher)
    data = {
        "investigation": default_investigation().pk,
        "statement": "Войска вошли в Украину.",
        "details": "",
        "made": "June 2014",
        "verdict": "unverified",
        "verdict_rationale": "",
    }
    for prefix in ("sources", "denials", "evidence_links"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {
        "attributions-TOTAL_FORMS": "1",
        "attributions-INITIAL_FORMS": "0",
        "attributions-0-claimant": claimant.pk,
        "attributions-0-role": "originator",
        "attributions-0-stated": "12 June 2014",
    }
    response = client.post(_url(Claim, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = Claim.objects.get()
    assert claim.statement == "Войска вошли в Украину."
    assert str(claim.made) == "June 2014"
    assert claim.created_by == staff_researcher
    attribution = claim.attributions.get()
    assert attribution.created_by == staff_researcher
    assert str(attribution.stated) == "12 June 2014"


def _item_form(item: EvidenceItem, **changes) -> dict:
    data = {
        "kind": item.kind, "title": item.title, "description": item.description, "url": "",
        "location_name": "", "location_precision": "",
        "review_status": item.review_status, "review_note": item.review_note,
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
    }  # fmt: skip
    return data | changes


def test_researcher_sees_review_fields_read_only_and_cannot_change_them(
    client, staff_researcher, staff_reviewer
):
    item = EvidenceItemFactory(created_by=staff_reviewer)
    client.force_login(staff_researcher)
    html = client.get(_url(EvidenceItem, "change", item.pk)).content.decode()
    assert 'name="review_status"' not in html
    response = client.post(
        _url(EvidenceItem, "change", item.pk), _item_form(item, review_status="approved")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_reviewer_approves_in_the_admin(client, staff_researcher, staff_reviewer):
    item = EvidenceItemFactory(created_by=staff_researcher)
    client.force_login(staff_reviewer)
    response = client.post(
        _url(EvidenceItem, "change", item.pk),
        _item_form(item, review_status="approved", review_note="Checked."),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.review_status, item.reviewed_by, item.review_note) == (
        ReviewStatus.APPROVED,
        staff_reviewer,
        "Checked.",
    )


def test_admin_refuses_review_of_own_item(client, staff_reviewer):
    item = EvidenceItemFactory(created_by=staff_reviewer)
    client.force_login(staff_reviewer)
    response = client.post(
        _url(EvidenceItem, "change", item.pk), _item_form(item, review_status="approved")
    )
    assert response.status_code == 200
    assert "so someone else must review it" in response.content.decode()
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_admin_rejection_needs_a_note(client, staff_researcher, staff_reviewer):
    item = EvidenceItemFactory(created_by=staff_researcher)
    client.force_login(staff_reviewer)
    response = client.post(
        _url(EvidenceItem, "change", item.pk), _item_form(item, review_status="rejected")
    )
    assert "a note is required" in response.content.decode()
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.PENDING


def test_admin_upload_is_hashed_and_stored_under_a_generated_name(client, staff_researcher):
    client.force_login(staff_researcher)
    payload = files.png()
    data = {
        "investigation": default_investigation().pk,
        "kind": "photo", "title": "Upload via admin", "url": "",
        "file": SimpleUploadedFile("tank.png", payload, content_type="image/png"),
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(_url(EvidenceItem, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(payload).hexdigest()
    assert item.size_bytes == len(payload)
    assert item.original_filename == "tank.png"
    assert "tank" not in item.file.name
    assert item.created_by == staff_researcher


def test_the_change_page_never_links_to_the_stored_file(client, superuser, demo):
    client.force_login(superuser)
    item = EvidenceItem.objects.exclude(file="").first()
    html = client.get(_url(EvidenceItem, "change", item.pk)).content.decode()
    assert item.file.name not in html
    assert item.sha256 in html


def test_claim_search_finds_source_outlets(client, superuser):
    client.force_login(superuser)
    claim = ClaimFactory(statement="Something happened.")
    claim.sources.create(outlet="Al Jazeera", url="https://www.aljazeera.com/x")
    ClaimFactory(statement="Unrelated.")
    response = client.get(_url(Claim, "changelist") + "?q=jazeera")
    assert list(response.context["cl"].result_list) == [claim]


def test_admin_upload_goes_through_the_intake_pipeline(client, staff_researcher):
    client.force_login(staff_researcher)
    data = {
        "investigation": default_investigation().pk,
        "kind": "photo", "title": "Disguised", "url": "",
        "file": SimpleUploadedFile("photo.jpg", files.SVG_WITH_SCRIPT, content_type="image/jpeg"),
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(_url(EvidenceItem, "add"), data)
    assert response.status_code == 200
    assert "this one is an SVG image" in response.content.decode()
    assert not EvidenceItem.objects.exists()
