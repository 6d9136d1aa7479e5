"""The admin writes through the services: version checks both ways with the web, history,
custody, the duplicate rule and deletions behave as they do on the web pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim, Source
from core.models import HistoryEntry
from evidence.models import CustodyAction, CustodyEvent, EvidenceItem, EvidenceLink
from tests import files
from tests.factories import (
    ClaimFactory,
    EvidenceItemFactory,
    SourceFactory,
    default_investigation,
)

pytestmark = pytest.mark.django_db


def _admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _value(bound) -> object:
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _posted(response, **changes) -> dict:
    """What the admin page just shown would post back, with `changes`."""
    form = response.context["adminform"].form
    data = {form.add_prefix(name): _value(form[name]) for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(n): _value(management[n]) for n in management.fields}
        for row in formset.forms:
            data |= {row.add_prefix(name): _value(row[name]) for name in row.fields}
    return {key: value for key, value in data.items() if value is not False} | changes


def test_a_web_edit_then_a_stale_admin_save_shows_the_conflict_and_keeps_the_input(
    client, superuser, researcher
):
    claim = ClaimFactory(statement="Tanks crossed the border.", verdict="unverified")
    url = _admin_url(Claim, "change", claim.pk)
    client.force_login(superuser)
    page = client.get(url)
    claim_services.claim_update(
        claim=claim, data={"statement": "Three tanks crossed the border."}, by=researcher
    )

    stale = client.post(url, _posted(page, verdict="disputed"))

    assert stale.status_code == 200
    html = stale.content.decode()
    assert "Someone else saved this while you were editing" in html
    assert "Statement: “Tanks crossed the border.” → “Three tanks crossed the border.”" in html
    assert stale.context["adminform"].form["verdict"].value() == "disputed"  # input kept
    claim.refresh_from_db()
    assert (claim.verdict, claim.version) == ("unverified", 2)
    # Saving again is a deliberate overwrite, recorded as a change by the admin user.
    again = client.post(url, _posted(stale))
    assert again.status_code == 302
    claim.refresh_from_db()
    assert (claim.verdict, claim.version) == ("disputed", 3)
    last = HistoryEntry.objects.filter(claim_id=claim.pk).order_by("-seq").first()
    assert (last.username, last.changes["Verdict"]) == ("admin", ["Unverified", "Disputed"])


def test_an_admin_edit_then_a_stale_web_save_shows_the_conflict(client, superuser, researcher):
    claim = ClaimFactory(statement="Tanks crossed the border.")
    web_url = reverse("claims:claim_update", args=[claim.pk])
    client.force_login(researcher)
    web_form = client.get(web_url).context["form"]
    stale_web = {
        "statement": "Tanks crossed the border!",
        "verdict": "unverified",
        "version": web_form.initial["version"],
        "snapshot": web_form.initial["snapshot"],
        **{f"{p}-{k}": "0" for p in ("sources", "attributions") for k in ("TOTAL_FORMS",
                                                                          "INITIAL_FORMS")},
    }  # fmt: skip

    client.force_login(superuser)
    url = _admin_url(Claim, "change", claim.pk)
    saved = client.post(url, _posted(client.get(url), statement="The admin's wording."))
    assert saved.status_code == 302
    claim.refresh_from_db()
    assert claim.version == 2  # the admin's save counts like any other

    client.force_login(researcher)
    response = client.post(web_url, stale_web)
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in response.content.decode()
    changes = {c.label: c.after for c in response.context["form"].conflict_changes}
    assert changes["Statement"] == "The admin's wording."
    claim.refresh_from_db()
    assert claim.statement == "The admin's wording."


def test_a_link_added_and_removed_in_the_claims_admin_writes_custody_and_history(client, superuser):
    claim, item = ClaimFactory(), EvidenceItemFactory()
    url = _admin_url(Claim, "change", claim.pk)
    client.force_login(superuser)
    page = client.get(url)
    added = _posted(
        page,
        **{
            "evidence_links-TOTAL_FORMS": "1",
            "evidence_links-0-evidence": str(item.pk),
            "evidence_links-0-relation": "supports",
            "evidence_links-0-strength": "strong",
            "evidence_links-0-rationale": "Shows the column.",
        },
    )
    assert client.post(url, added).status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.created_by, link.strength) == (superuser, "strong")
    linked = CustodyEvent.objects.get(evidence=item, action=CustodyAction.LINKED)
    assert linked.user == superuser and f"claim #{claim.pk}" in linked.detail
    assert HistoryEntry.objects.filter(model="evidence.evidencelink", action="created").exists()

    removed = _posted(client.get(url), **{"evidence_links-0-DELETE": "on"})
    assert client.post(url, removed).status_code == 302
    assert not EvidenceLink.objects.exists()
    assert CustodyEvent.objects.filter(evidence=item, action=CustodyAction.UNLINKED).exists()
    assert HistoryEntry.objects.filter(model="evidence.evidencelink", action="deleted").exists()


def test_a_file_already_stored_is_refused_in_the_admin_by_the_services_rule(
    client, staff_researcher
):
    def upload():
        return {
            "investigation": default_investigation().pk,
            "kind": "photo",
            "title": "Column near Rostov",
            "file": SimpleUploadedFile("column.png", files.png()),
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        }

    client.force_login(staff_researcher)
    assert client.post(_admin_url(EvidenceItem, "add"), upload()).status_code == 302
    again = client.post(_admin_url(EvidenceItem, "add"), upload())
    assert again.status_code == 200
    errors = again.context["adminform"].form.errors["file"]
    assert errors == ["This file is already evidence: “Column near Rostov”."]
    assert EvidenceItem.objects.count() == 1


def test_deleting_sources_in_the_admin_is_recorded_one_by_one(client, superuser):
    claim = ClaimFactory()
    first, second = SourceFactory(claim=claim), SourceFactory(claim=claim)
    client.force_login(superuser)
    response = client.post(
        _admin_url(Source, "changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Source.objects.exists()
    deleted = HistoryEntry.objects.filter(model="claims.source", action="deleted")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted([first.pk, second.pk])


def test_claims_cannot_be_deleted_in_the_admin_as_on_the_web(client, superuser):
    claim = ClaimFactory()
    client.force_login(superuser)
    assert client.get(_admin_url(Claim, "delete", claim.pk)).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()
