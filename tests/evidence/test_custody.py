"""The chain of custody, the integrity check, and who may fetch files and previews."""

from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.models import CustodyEvent
from evidence.services import (
    evidence_create,
    evidence_link_create,
    evidence_link_delete,
    evidence_review,
)
from investigations.models import Investigation
from tests import files
from tests.factories import ClaimFactory, MembershipFactory, UserFactory, default_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(researcher):
    return evidence_create(
        investigation=default_investigation(),
        kind="photo",
        title="Column",
        file=ContentFile(files.jpeg_with_exif(), name="column.jpg"),
        by=researcher,
    )


def _log(item) -> list[tuple[str, str, str]]:
    return [(e.action, e.user.username if e.user else "", e.sha256) for e in item.custody.all()]


def test_each_step_is_logged_with_user_and_hash(client, item, researcher, reviewer):
    claim = ClaimFactory()
    link = evidence_link_create(claim=claim, evidence=item, relation="supports", by=researcher)
    evidence_review(item=item, by=reviewer, status="approved", note="Checked")
    evidence_link_delete(link=link, by=reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("evidence:evidence_file", args=[item.pk]))
    assert b"".join(response.streaming_content) == item.file.open("rb").read()
    h = item.sha256
    assert _log(item) == [
        ("received", "rita", h),
        ("metadata_extracted", "rita", h),
        ("linked", "rita", h),
        ("reviewed", "victor", h),
        ("unlinked", "victor", h),
        ("downloaded", "victor", h),
    ]
    events = list(item.custody.all())
    assert "bytes, a JPEG image, named “column.jpg”" in events[0].detail
    assert "camera_make: TestCam" in events[1].detail and "GPS 47.2357" in events[1].detail
    assert events[3].detail == "Approved · Checked"
    assert f"claim #{claim.pk}" in events[2].detail


def test_a_download_logs_the_hash_of_the_bytes_actually_sent(client, item, researcher, settings):
    path = Path(settings.MEDIA_ROOT) / item.file.name
    path.write_bytes(path.read_bytes() + b"tampered")
    client.force_login(researcher)
    b"".join(client.get(reverse("evidence:evidence_file", args=[item.pk])).streaming_content)
    last = item.custody.last()
    assert last.action == "downloaded" and last.sha256 != item.sha256
    assert "DIFFERS FROM THE HASH RECORDED AT INTAKE" in last.detail


def test_the_log_is_append_only(item):
    event = item.custody.first()
    event.detail = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        CustodyEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        CustodyEvent.objects.all().delete()
    assert CustodyEvent.objects.get(pk=event.pk).detail != "rewritten"


def test_the_log_is_shown_on_the_evidence_page(client, item, researcher):
    client.force_login(researcher)
    html = client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    assert "Chain of custody" in html
    assert "Metadata extracted" in html and item.sha256[:14] in html


def test_verify_evidence_passes_when_all_files_match(item):
    out = StringIO()
    call_command("verify_evidence", stdout=out)
    assert "The 1 evidence file matches its SHA-256." in out.getvalue()


def test_verify_evidence_catches_one_changed_byte_and_a_missing_file(researcher, settings, item):
    other = evidence_create(investigation=default_investigation(),
        kind="photo", title="Other", file=ContentFile(files.png(), name="o.png"),
        by=researcher,
    )  # fmt: skip
    path = Path(settings.MEDIA_ROOT) / item.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    (Path(settings.MEDIA_ROOT) / other.file.name).unlink()
    err = StringIO()
    with pytest.raises(CommandError, match="2 of 2 evidence files are missing or altered"):
        call_command("verify_evidence", stderr=err)
    report = err.getvalue()
    assert f"ALTERED #{item.pk} “Column”: recorded {item.sha256}" in report
    assert f"MISSING #{other.pk} “Other”" in report


@pytest.mark.parametrize("name", ["evidence_file", "evidence_thumbnail", "evidence_preview"])
def test_files_and_previews_are_refused_to_anonymous_and_outsiders(client, item, outsider, name):
    url = reverse(f"evidence:{name}", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={quote(url)}"
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert not item.custody.filter(action="downloaded").exists()


def test_previews_are_served_as_jpeg_with_no_sniffing(client, item, researcher):
    client.force_login(researcher)
    for name in ("evidence_thumbnail", "evidence_preview"):
        response = client.get(reverse(f"evidence:{name}", args=[item.pk]))
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.content[:3] == b"\xff\xd8\xff"


def test_the_page_title_is_the_items_title_only(client, item, researcher):
    client.force_login(researcher)
    html = client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    assert "<title>Column · Corroborate</title>" in html
    assert html.count('id="custody-heading"') == 1


def test_integrity_checks_are_shown_to_staff_and_started_from_the_page(
    client, staff_researcher, researcher, settings, item, django_capture_on_commit_callbacks
):
    url = reverse("evidence:integrity")
    client.force_login(researcher)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(staff_researcher)
    assert "No check has run yet" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the task, after the commit
        client.post(url)
    response = client.get(url)
    assert "The check has started" in response.content.decode()
    assert "All 1 files match their SHA-256" in response.content.decode()
    assert "started by sam" in response.content.decode()

    (Path(settings.MEDIA_ROOT) / item.file.name).write_bytes(b"changed")
    with pytest.raises(CommandError):
        call_command("verify_evidence", stderr=StringIO())  # the schedule's run, the same
    page = client.get(url).content.decode()
    assert "1 of 1 files are missing or altered" in page and "scheduled" in page
    assert f'href="{reverse("evidence:evidence_detail", args=[item.pk])}"' in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Evidence files missing or altered" in dashboard
    client.force_login(researcher)  # not staff: the dashboard says nothing of it
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Evidence files missing or altered" not in dashboard


def test_an_integrity_problem_in_another_investigation_is_not_named(
    client, settings, item, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="ops", is_staff=True)
    MembershipFactory(investigation=Investigation.objects.create(name="Other", slug="other"),
                      user=admin, role="lead")  # fmt: skip
    (Path(settings.MEDIA_ROOT) / item.file.name).unlink()
    with pytest.raises(CommandError):
        call_command("verify_evidence", stderr=StringIO())
    client.force_login(admin)
    page = client.get(reverse("evidence:integrity")).content.decode()
    assert f"Item #{item.pk}, in an investigation you are not a member of" in page
    assert item.title not in page
