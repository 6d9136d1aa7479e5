"""The heavy half of intake off the request: an item is stored at once and queued; the task
derives its previews and metadata, fails with a reason a person can read, runs again
safely, and is started again by hand after a failure or a lost task."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from evidence import intake as pipeline
from evidence.models import CustodyEvent, EvidenceItem, Processing
from evidence.services import evidence_create, evidence_file_process
from investigations.models import Role
from tests import files
from tests.brokers import unreachable_broker
from tests.factories import MembershipFactory, UserFactory, default_investigation
from tests.queued import work

pytestmark = pytest.mark.django_db


def _upload(user, data: bytes, name: str, kind: str = "photo") -> EvidenceItem:
    return evidence_create(
        investigation=default_investigation(), kind=kind, title=name,
        file=ContentFile(data, name=name), original_filename=name, by=user,
    )  # fmt: skip


def _files(media_root) -> list[str]:
    root = Path(media_root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def big_images(settings):
    """Every image counts as large: its previews are made by the task."""
    settings.EVIDENCE_INLINE_IMAGE_PIXELS = 100


def test_a_large_image_is_stored_at_once_and_its_previews_made_after_the_commit(
    researcher, big_images, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        item = _upload(researcher, files.png(640, 480), "scene.png")
    assert item.processing == Processing.QUEUED and item.processing_changed is not None
    assert item.file and item.sha256 and not item.thumbnail and item.phash is None
    assert item.metadata["image"] == {"width": 640, "height": 480}  # from the header
    assert [e.action for e in item.custody.all()] == ["received"]
    version = item.version

    work(queued)[0]()
    item.refresh_from_db()
    assert item.processing == Processing.READY and item.processing_error == ""
    assert item.thumbnail and item.preview and item.phash is not None
    assert item.metadata["image"]["frames"] == 1
    assert [e.action for e in item.custody.all()] == ["received", "metadata_extracted"]
    assert item.version == version  # derived fields: nobody's edit in progress conflicts


def test_small_images_and_documents_are_ready_during_the_upload(
    researcher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        image = _upload(researcher, files.png(), "small.png")
        pdf = _upload(researcher, files.pdf(), "doc.pdf", kind="document")
    assert work(queued) == []
    assert image.processing == pdf.processing == Processing.READY and image.thumbnail


def test_running_twice_or_after_a_killed_run_writes_one_set_of_previews(
    researcher, big_images, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        item = _upload(researcher, files.png(320, 240), "scene.png")
    # A worker killed after writing the previews, before the record: it says PROCESSING.
    EvidenceItem.objects.filter(pk=item.pk).update(processing=Processing.PROCESSING)
    with pipeline.stored_copy(item.file) as intake:
        pipeline.derive(intake)
        pipeline.store_previews(intake, item.file.storage, item.uuid)
    written = _files(settings.MEDIA_ROOT)
    evidence_file_process(item.pk)  # delivered again after the worker died
    assert _files(settings.MEDIA_ROOT) == written  # the same files, no second set
    assert len([name for name in written if "/previews/" in f"/{name}"]) == 2
    evidence_file_process(item.pk)  # and once more, by a duplicate delivery: nothing to do
    item.refresh_from_db()
    assert item.processing == Processing.READY and item.thumbnail
    extracted = CustodyEvent.objects.filter(evidence=item, action="metadata_extracted")
    assert extracted.count() == 1


def test_a_file_that_fails_is_shown_with_its_reason_and_succeeds_on_retry(
    client, researcher, big_images, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        item = _upload(researcher, files.png(320, 240), "scene.png")
    original = Path(settings.MEDIA_ROOT) / item.file.name
    away = original.with_name("away")
    original.rename(away)  # the storage lost the file for a while
    evidence_file_process(item.pk)
    item.refresh_from_db()
    assert item.processing == Processing.FAILED
    assert item.processing_error == "The stored file is missing."

    client.force_login(researcher)
    page = reverse("evidence:evidence_detail", args=[item.pk])
    html = client.get(page).content.decode()
    assert "Processing failed" in html and "The stored file is missing." in html
    retry = reverse("evidence:evidence_processing_retry", args=[item.pk])
    assert f'action="{retry}"' in html
    assert client.get(reverse("evidence:evidence_processing", args=[item.pk])).json() == {
        "state": "failed", "label": "Failed", "reason": "The stored file is missing.",
        "retry": True,
    }  # fmt: skip

    away.rename(original)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert "queued for processing again" in response.content.decode()
    item.refresh_from_db()
    assert item.processing == Processing.READY and item.thumbnail
    assert "Processing failed" not in client.get(page).content.decode()


def test_a_damaged_large_image_fails_with_the_intakes_own_reason(
    researcher, big_images, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = _upload(researcher, files.truncated_jpeg(), "cut.jpg")
    item.refresh_from_db()
    assert item.processing == Processing.FAILED
    assert "damaged or truncated" in item.processing_error
    assert item.file and item.sha256  # the original is kept as received


def test_retry_only_after_a_failure_or_a_lost_task(
    client, researcher, big_images, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        item = _upload(researcher, files.png(320, 240), "scene.png")
    client.force_login(researcher)
    retry = reverse("evidence:evidence_processing_retry", args=[item.pk])
    response = client.post(retry, follow=True)
    assert "This file is not waiting for a retry." in response.content.decode()
    page = client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    assert "Queued for processing" in page and f'action="{retry}"' not in page

    # Queued for longer than the stale limit: the task was lost; it may start again.
    stale = datetime.timedelta(minutes=settings.EVIDENCE_PROCESSING_STALE_MINUTES + 1)
    old = timezone.now() - stale
    EvidenceItem.objects.filter(pk=item.pk).update(processing_changed=old)
    assert (
        f'action="{retry}"'
        in client.get(reverse("evidence:evidence_detail", args=[item.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    item.refresh_from_db()
    assert item.processing == Processing.READY


def test_only_researchers_of_the_investigation_may_retry(
    client, researcher, big_images, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        item = _upload(researcher, files.png(320, 240), "scene.png")
    EvidenceItem.objects.filter(pk=item.pk).update(processing=Processing.FAILED)
    retry = reverse("evidence:evidence_processing_retry", args=[item.pk])
    viewer = UserFactory(username="vic")
    MembershipFactory(user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.post(retry).status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.post(retry).status_code in (403, 404)
    assert client.get(reverse("evidence:evidence_processing", args=[item.pk])).status_code in (
        403,
        404,
    )
    item.refresh_from_db()
    assert item.processing == Processing.FAILED


def test_the_api_shows_the_state_and_retries(
    researcher, big_images, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(researcher)
    with django_capture_on_commit_callbacks():
        response = api.post(
            "/api/v1/evidence/",
            {"investigation": default_investigation().slug, "kind": "photo", "title": "Scene",
             "file": ContentFile(files.png(320, 240), name="s.png")},
            format="multipart",
        )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["processing"] == "queued"
    pk = response.json()["id"]
    refused = api.post(f"/api/v1/evidence/{pk}/retry/")
    assert refused.status_code == 400
    assert "not waiting for a retry" in str(refused.json())
    EvidenceItem.objects.filter(pk=pk).update(processing=Processing.FAILED, processing_error="x")
    assert api.get(f"/api/v1/evidence/{pk}/").json()["processing_error"] == "x"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/evidence/{pk}/retry/")
    assert response.status_code == 200 and response.json()["processing"] == "queued"
    assert api.get(f"/api/v1/evidence/{pk}/").json()["processing"] == "ready"


def test_a_broker_that_cannot_be_reached_leaves_the_item_failed_with_the_reason(
    researcher, big_images, django_capture_on_commit_callbacks
):
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True):
        item = _upload(researcher, files.png(320, 240), "scene.png")
    item.refresh_from_db()
    assert item.processing == Processing.FAILED
    assert item.processing_error.startswith("The task queue could not be reached")


def test_failed_items_are_found_with_the_list_filter(
    client, researcher, big_images, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        waiting = _upload(researcher, files.png(320, 240), "waiting.png")
        broken = _upload(researcher, files.png(321, 240), "broken.png")
    EvidenceItem.objects.filter(pk=broken.pk).update(processing=Processing.FAILED)
    client.force_login(researcher)
    listed = client.get(reverse("evidence:evidence_list"), {"processing": "failed"})
    assert [item.pk for item in listed.context["page"].object_list] == [broken.pk]
    listed = client.get(reverse("evidence:evidence_list"), {"processing": "queued"})
    assert [item.pk for item in listed.context["page"].object_list] == [waiting.pk]
    assert "Failed" in listed.content.decode()  # one of the filter's choices


def test_a_crash_while_processing_leaves_the_item_failed_not_processing(
    researcher, big_images, monkeypatch, django_capture_on_commit_callbacks
):
    from evidence import intake as pipeline

    def crash(intake):
        raise RuntimeError("decoder fell over")

    monkeypatch.setattr(pipeline, "derive", crash)
    with django_capture_on_commit_callbacks(execute=True):
        item = _upload(researcher, files.png(320, 240), "scene.png")
    item.refresh_from_db()
    assert item.processing == Processing.FAILED
    assert "RuntimeError: decoder fell over" in item.processing_error
