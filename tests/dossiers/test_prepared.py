"""Dossiers prepared in the background: a big claim's PDF or ZIP and a selection's ZIP are
asked for in a request that answers at once, prepared by the task, kept for their owner
alone, logged in the custody of each evidence file at download, and removed when due."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import EventKind, SecurityEvent
from claims.models import Claim
from dossiers import export
from dossiers.models import PreparedDossier
from dossiers.services import dossier_prepare, dossiers_remove_expired
from evidence.models import CustodyEvent
from investigations.models import Membership
from tests.conftest import join_demo_case

pytestmark = pytest.mark.django_db

TANKS = "The three unmarked tanks seen in eastern Ukraine on 12 June 2014 came from Russia."


@pytest.fixture
def demo(db, settings):
    call_command("load_demo", stdout=io.StringIO())
    join_demo_case()
    settings.DOSSIER_INLINE_MAX_ITEMS = 1  # the demo's claim counts as big
    return Claim.objects.get(statement=TANKS)


def _ask(client, claim, fmt="pdf"):
    return client.get(reverse("claims:claim_dossier", args=[claim.pk, fmt]))


def test_a_big_pdf_is_asked_for_at_once_and_downloaded_when_ready(
    client, researcher, demo, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks() as queued:
        response = _ask(client, demo)
    prepared = PreparedDossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:prepared_dossier", args=[prepared.uuid])
    assert (prepared.kind, prepared.claims, prepared.state) == ("pdf", [demo.pk], "queued")
    page = client.get(response.url).content.decode()
    status = reverse("claims:prepared_status", args=[prepared.uuid])
    assert "Being prepared" in page and f'data-processing-url="{status}"' in page
    assert client.get(status).json()["state"] == "queued"
    assert client.get(reverse("claims:prepared_download", args=[prepared.uuid])).status_code == 404

    for callback in queued:  # the worker
        callback()
    prepared.refresh_from_db()
    assert prepared.state == "ready" and prepared.expires_at > timezone.now()
    page = client.get(response.url).content.decode()
    assert "Ready" in page and prepared.sha256 in page and "Kept until" in page
    assert client.get(status).json()["state"] == "ready"

    download = client.get(reverse("claims:prepared_download", args=[prepared.uuid]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == prepared.sha256
    assert download["Content-Disposition"] == f'attachment; filename="claim-{demo.uuid}.pdf"'
    logged = CustodyEvent.objects.filter(action="downloaded", user=researcher)
    assert logged.count() == len(prepared.contents) > 0
    assert all(f"dossier of claim #{demo.pk}" in event.detail for event in logged)
    assert all(str(prepared.uuid) in event.detail for event in logged)
    # The security log: the export when it was made, the download under its investigation.
    security = SecurityEvent.objects.filter(actor=researcher).exclude(kind="sign_in").order_by("id")
    assert [(e.kind, e.investigation_id) for e in security] == [
        (EventKind.EXPORT, demo.investigation_id),
        (EventKind.DOWNLOAD, demo.investigation_id),
    ]
    assert all(str(prepared.uuid) in event.detail for event in security)
    listed = client.get(reverse("claims:prepared_list")).content.decode()
    assert response.url in listed and "PDF dossier" in listed


def test_a_big_zip_is_prepared_too_and_small_dossiers_stay_in_the_request(
    client, researcher, demo, settings, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, demo, "zip")
    prepared = PreparedDossier.objects.get()
    assert prepared.kind == "zip" and prepared.state == "ready"
    assert prepared.file_name == f"claim-{demo.uuid}.zip"
    settings.DOSSIER_INLINE_MAX_ITEMS = 100
    direct = _ask(client, demo, "pdf")
    assert direct.status_code == 200 and direct.content.startswith(b"%PDF")
    assert PreparedDossier.objects.count() == 1
    assert response.status_code == 302


def test_asking_again_while_it_waits_makes_no_second_one(
    client, researcher, demo, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks():
        first, second = _ask(client, demo), _ask(client, demo)
    assert first.url == second.url and PreparedDossier.objects.count() == 1


def test_only_its_owner_sees_it_and_only_while_still_a_member(
    client, researcher, reviewer, demo, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, demo)
    prepared = PreparedDossier.objects.get()
    urls = [
        reverse(name, args=[prepared.uuid])
        for name in (
            "claims:prepared_dossier",
            "claims:prepared_status",
            "claims:prepared_download",
        )
    ]
    client.force_login(reviewer)  # a member of the same investigation, but not the owner
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert str(prepared.uuid) not in client.get(reverse("claims:prepared_list")).content.decode()
    client.force_login(researcher)
    assert client.get(urls[0]).status_code == 200
    Membership.objects.filter(user=researcher, investigation=demo.investigation).delete()
    client.force_login(researcher)
    assert client.get(urls[2]).status_code in (403, 404)
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_a_failure_is_shown_with_its_reason_and_succeeds_on_retry(
    client, researcher, demo, monkeypatch, django_capture_on_commit_callbacks
):
    real = export.render_pdf

    def unavailable(dossier):
        raise export.PdfUnavailable("PDF dossiers need the Pango library")

    monkeypatch.setattr(export, "render_pdf", unavailable)
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, demo)
    page = client.get(response.url).content.decode()
    assert "could not be prepared" in page and "PDF dossiers need the Pango library" in page

    monkeypatch.setattr(export, "render_pdf", real)
    prepared = PreparedDossier.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("claims:prepared_retry", args=[prepared.uuid]), follow=True)
    assert "queued again" in retried.content.decode()
    prepared.refresh_from_db()
    assert prepared.state == "ready" and prepared.error == ""


def test_preparing_twice_writes_one_file(client, researcher, demo, settings,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(researcher)
    with django_capture_on_commit_callbacks():
        _ask(client, demo, "zip")
    prepared = PreparedDossier.objects.get()
    PreparedDossier.objects.filter(pk=prepared.pk).update(state="processing")  # a killed run
    dossier_prepare(prepared.pk)
    dossier_prepare(prepared.pk)  # a second delivery: nothing to do
    folder = Path(settings.MEDIA_ROOT) / "dossiers" / str(prepared.uuid)
    assert [p.name for p in folder.iterdir()] == [f"claim-{demo.uuid}.zip"]


def test_expired_dossiers_are_removed(client, researcher, demo, settings,
                                      django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, demo)
    prepared = PreparedDossier.objects.get()
    stored = Path(settings.MEDIA_ROOT) / prepared.file.name
    assert stored.exists()
    assert dossiers_remove_expired() == 0
    PreparedDossier.objects.filter(pk=prepared.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(reverse("claims:prepared_download", args=[prepared.uuid])).status_code == 404
    assert dossiers_remove_expired() == 1
    assert not stored.exists()
    page = client.get(reverse("claims:prepared_dossier", args=[prepared.uuid])).content.decode()
    assert "Expired" in page and "this one has been removed" in page


def test_a_selection_over_the_limit_is_refused_with_a_message(client, researcher, demo, settings):
    settings.DOSSIER_SELECTION_MAX = 1
    client.force_login(researcher)
    url = reverse("claims:claim_list_dossiers")
    assert "Narrow the selection" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "a ZIP of dossiers holds at most 1" in response.content.decode()
    assert not PreparedDossier.objects.exists()
    empty = client.get(url, {"q": "nothing matches this"}).content.decode()
    assert "No claim matches this selection" in empty
