"""Evidence in an S3-compatible bucket (a real SeaweedFS server, tests/objectstore.py):
uploads land in the bucket and nowhere else, downloads are links signed for a minute (or
streamed after the permission check), previews, background processing, dossiers and the
re-hash all read from it, and a store that does not answer is a clear error."""

import hashlib
import io
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.models import CustodyEvent, EvidenceItem, Processing
from evidence.services import evidence_link_create
from tests import files
from tests.factories import ClaimFactory
from tests.objectstore import client as s3_client
from tests.objectstore import s3_options

pytestmark = pytest.mark.django_db


def _post(**fields) -> dict:
    data = {"kind": "photo", "title": "Tank column", "description": "", "url": "",
            "provider": "", "event": "", "captured_from": "", "captured_to": "",
            "published": "", "collected_on": "", "location_name": "", "latitude": "",
            "longitude": "", "location_precision": ""}  # fmt: skip
    return data | fields


def _keys(store) -> list[str]:
    listed = s3_client(store["endpoint"]).list_objects_v2(
        Bucket=store["bucket"], Prefix=store["prefix"] + "/"
    )
    return sorted(entry["Key"] for entry in listed.get("Contents", []))


def _object(store, name: str) -> bytes:
    key = f"{store['prefix']}/{name}"
    return s3_client(store["endpoint"]).get_object(Bucket=store["bucket"], Key=key)["Body"].read()


def _upload(client_, data: bytes, name: str, **fields):
    return client_.post(
        reverse("evidence:evidence_create"), _post(file=SimpleUploadedFile(name, data), **fields)
    )


def _local_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_lands_in_the_bucket_with_its_previews_and_nowhere_else(
    client, researcher, bucket_storage, settings
):
    client.force_login(researcher)
    data = files.jpeg_with_exif()
    response = _upload(client, data, "column.jpg")
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    keys = _keys(bucket_storage)
    prefix = bucket_storage["prefix"]
    assert f"{prefix}/{item.file.name}" in keys
    assert f"{prefix}/{item.thumbnail.name}" in keys and f"{prefix}/{item.preview.name}" in keys
    assert _object(bucket_storage, item.file.name) == data  # byte for byte
    assert _local_files(settings.MEDIA_ROOT) == []  # not even the scratch copy is left
    thumbnail = client.get(reverse("evidence:evidence_thumbnail", args=[item.pk]))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail.content == _object(bucket_storage, item.thumbnail.name)


def test_a_download_is_a_link_signed_for_a_minute_and_logged(client, researcher, bucket_storage):
    client.force_login(researcher)
    data = files.png()
    _upload(client, data, "снимок.png")
    item = EvidenceItem.objects.get()
    response = client.get(reverse("evidence:evidence_file", args=[item.pk]))
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"
    link = response["Location"]
    assert link.startswith(bucket_storage["endpoint"] + "/")
    query = parse_qs(urlsplit(link).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-disposition"][0].startswith("attachment;")
    fetched = requests.get(link, timeout=10)
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert "%D1%81%D0%BD%D0%B8%D0%BC%D0%BE%D0%BA.png" in fetched.headers["Content-Disposition"]
    # The bucket is private: the same object without the signature is refused.
    bare = bucket_storage["endpoint"] + urlsplit(link).path
    assert requests.get(bare, timeout=10).status_code == 403
    logged = CustodyEvent.objects.get(evidence=item, action="downloaded")
    assert logged.user == researcher and "valid for 60 s" in logged.detail


def test_a_download_can_be_streamed_through_the_app_instead(
    client, researcher, bucket_storage, settings
):
    settings.EVIDENCE_DOWNLOAD_REDIRECT = False
    client.force_login(researcher)
    data = files.pdf()
    _upload(client, data, "report.pdf", kind="document")
    item = EvidenceItem.objects.get()
    response = client.get(reverse("evidence:evidence_file", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    logged = CustodyEvent.objects.get(evidence=item, action="downloaded")
    assert logged.sha256 == item.sha256 and logged.detail == f"{len(data)} bytes"


def test_a_video_is_processed_from_the_bucket(
    client, researcher, bucket_storage, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, files.video(tmp_path / "c.mp4", seconds=3), "c.mp4", kind="video")
    item = EvidenceItem.objects.get()
    assert item.processing == Processing.READY, item.processing_error
    assert f"{bucket_storage['prefix']}/{item.keyframe_strip.name}" in _keys(bucket_storage)
    strip = client.get(reverse("evidence:evidence_strip", args=[item.pk]))
    assert strip.status_code == 200 and strip.content.startswith(b"\xff\xd8")


def test_a_dossier_zip_carries_the_originals_from_the_bucket(
    client, researcher, bucket_storage, tmp_path
):
    client.force_login(researcher)
    data = files.png(320, 200)
    _upload(client, data, "staging.png")
    item = EvidenceItem.objects.get()
    claim = ClaimFactory(created_by=researcher)
    evidence_link_create(claim=claim, evidence=item, relation="supports", by=researcher)
    response = client.get(
        reverse("claims:claim_dossier", args=[claim.pk, "zip"]), {"unreviewed": "1"}
    )
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(tmp_path / "dossier")
        assert archive.read(f"evidence/{item.uuid}/staging.png") == data
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "dossier",
                           capture_output=True)  # fmt: skip
    assert check.returncode == 0, check.stdout


def test_verify_evidence_rehashes_the_bucket_and_catches_a_changed_object(
    client, researcher, bucket_storage
):
    client.force_login(researcher)
    _upload(client, files.png(), "a.png")
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "The 1 evidence file matches its SHA-256." in out.getvalue()
    item = EvidenceItem.objects.get()
    key = f"{bucket_storage['prefix']}/{item.file.name}"
    s3 = s3_client(bucket_storage["endpoint"])
    s3.put_object(Bucket=bucket_storage["bucket"], Key=key, Body=b"tampered")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 evidence file is missing or altered"):
        call_command("verify_evidence", stderr=err)
    assert f"ALTERED #{item.pk}" in err.getvalue()


@pytest.fixture
def unreachable_store(settings, tmp_path):
    from tests.brokers import free_port

    s3 = {"BACKEND": "storages.backends.s3.S3Storage",
          "OPTIONS": s3_options(f"http://127.0.0.1:{free_port()}", "evidence")}  # fmt: skip
    settings.STORAGES = settings.STORAGES | {"default": s3}
    settings.EVIDENCE_DOWNLOAD_REDIRECT = False


def test_a_store_that_does_not_answer_at_upload_is_a_clear_error_and_leaves_nothing(
    client, researcher, unreachable_store, settings
):
    client.force_login(researcher)
    response = _upload(client, files.png(), "a.png")
    assert response.status_code == 503
    assert "The evidence store cannot be reached" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert _local_files(settings.MEDIA_ROOT) == []


def test_a_store_that_does_not_answer_at_download_is_a_page_not_a_500(
    client, researcher, bucket_storage, settings
):
    client.force_login(researcher)
    _upload(client, files.png(), "a.png")
    item = EvidenceItem.objects.get()
    gone = s3_options("http://127.0.0.1:9", "evidence", bucket_storage["prefix"])
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": gone}
    settings.STORAGES = settings.STORAGES | {"default": s3}
    settings.EVIDENCE_DOWNLOAD_REDIRECT = False
    for name in ("evidence_file", "evidence_thumbnail"):
        response = client.get(reverse(f"evidence:{name}", args=[item.pk]))
        assert response.status_code == 503, name
        assert "The evidence store does not answer" in response.content.decode()
    api = client.get(f"/api/v1/evidence/{item.pk}/")  # reading the record needs no store
    assert api.status_code == 200


def test_a_resumable_upload_and_a_prepared_dossier_go_to_the_bucket(
    client, researcher, bucket_storage, settings, django_capture_on_commit_callbacks
):
    import base64

    from rest_framework.test import APIClient

    from dossiers.models import PreparedDossier
    from tests.factories import default_investigation

    api = APIClient()
    api.force_authenticate(researcher)
    data = files.pdf()
    meta = "investigation " + base64.b64encode(default_investigation().slug.encode()).decode()
    location = api.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH=str(len(data)),
                        HTTP_UPLOAD_METADATA=meta)["Location"]  # fmt: skip
    api.generic("PATCH", location, data, content_type="application/offset+octet-stream",
                HTTP_UPLOAD_OFFSET="0")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post("/api/v1/evidence/", {
            "investigation": default_investigation().slug, "kind": "document",
            "title": "Report", "upload": api.get(location).json()["id"],
        }, format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    item = EvidenceItem.objects.get()
    assert _object(bucket_storage, item.file.name) == data
    assert _local_files(settings.MEDIA_ROOT) == []  # the scratch copy went with the commit

    settings.DOSSIER_INLINE_MAX_ITEMS = 0  # prepared in the background, into the bucket
    claim = ClaimFactory(created_by=researcher)
    evidence_link_create(claim=claim, evidence=item, relation="supports", by=researcher)
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("claims:claim_dossier", args=[claim.pk, "zip"]),
                           {"unreviewed": "1"})  # fmt: skip
    prepared = PreparedDossier.objects.get()
    assert prepared.state == "ready", prepared.error
    assert f"{bucket_storage['prefix']}/{prepared.file.name}" in _keys(bucket_storage)
    download = client.get(asked.url + "download")
    assert download.status_code == 302
    fetched = requests.get(download["Location"], timeout=10)
    assert hashlib.sha256(fetched.content).hexdigest() == prepared.sha256
