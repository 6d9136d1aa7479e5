"""Resumable uploads (tus 1.0.0 at /api/v1/uploads/) and raw PUT uploads: parts at their
offsets, a dropped part resumed to a byte-identical original, the announced SHA-256
checked, every bad request a clear 4xx with JSON, and the finished file taken by an
evidence item through the same intake as any other."""

import base64
import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from evidence import resumable
from evidence.models import CustodyEvent, EvidenceItem, Upload
from evidence.resumable import upload_path, uploads_remove_abandoned
from investigations.models import Investigation, Role
from tests import files
from tests.factories import MembershipFactory, UserFactory, default_investigation

pytestmark = pytest.mark.django_db
URL = "/api/v1/uploads/"


def _meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


def _create(api, data: bytes, **meta):
    meta = {"investigation": default_investigation().slug, "filename": "clip.png"} | meta
    return api.post(URL, HTTP_UPLOAD_LENGTH=str(len(data)), HTTP_UPLOAD_METADATA=_meta(**meta),
                    HTTP_TUS_RESUMABLE="1.0.0")  # fmt: skip


def _patch(api, location: str, offset: int, part: bytes):
    return api.generic("PATCH", location, part, content_type="application/offset+octet-stream",
                       HTTP_UPLOAD_OFFSET=str(offset), HTTP_TUS_RESUMABLE="1.0.0")  # fmt: skip


class _Dropping:
    """A request body whose connection drops after `keep` bytes."""

    def __init__(self, data: bytes, keep: int) -> None:
        self.data, self.keep, self.at = data, keep, 0

    def read(self, size: int = -1) -> bytes:
        if self.at >= self.keep:
            raise ConnectionResetError("the laptop was closed")
        part = self.data[self.at : min(self.keep, self.at + (size if size > 0 else self.keep))]
        self.at += len(part)
        return part


def test_an_upload_in_parts_then_taken_by_an_evidence_item(api, researcher):
    data = files.jpeg_with_exif()
    created = _create(api, data, sha256=hashlib.sha256(data).hexdigest())
    assert created.status_code == 201 and created["Tus-Resumable"] == "1.0.0"
    location = created["Location"]
    half = len(data) // 2
    first = _patch(api, location, 0, data[:half])
    assert first.status_code == 204 and first["Upload-Offset"] == str(half)
    head = api.head(location)
    assert (head["Upload-Offset"], head["Upload-Length"]) == (str(half), str(len(data)))
    assert _patch(api, location, half, data[half:]).status_code == 204
    described = api.get(location).json()
    assert described["state"] == "complete"
    assert described["sha256"] == hashlib.sha256(data).hexdigest()

    made = api.post("/api/v1/evidence/", {
        "investigation": default_investigation().slug, "kind": "photo", "title": "Column",
        "upload": described["id"],
    }, format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    item = EvidenceItem.objects.get()
    assert item.sha256 == described["sha256"] and item.original_filename == "clip.png"
    assert item.file.open("rb").read() == data and item.thumbnail  # the same intake
    received = CustodyEvent.objects.get(evidence=item, action="received")
    assert f"sent in parts as resumable upload {described['id']}" in received.detail
    assert "matching the SHA-256 its sender announced" in received.detail
    assert api.get(location).json()["state"] == "used"
    again = api.post("/api/v1/evidence/", {
        "investigation": default_investigation().slug, "kind": "photo", "title": "Twice",
        "upload": described["id"],
    }, format="json")  # fmt: skip
    assert again.status_code == 400 and "can no longer be used" in str(again.json())


def test_a_dropped_part_is_resumed_to_a_byte_identical_original(api, researcher):
    data = files.pdf()[:-6] + b"%" * 300_000 + b"\n%%EOF\n"
    location = _create(api, data, filename="report.pdf")["Location"]
    upload = Upload.objects.get()
    resumable.upload_receive(upload=upload, offset=0, stream=_Dropping(data, 123_457),
                             length=len(data))  # fmt: skip
    held = int(api.head(location)["Upload-Offset"])
    assert held == 123_457  # every byte that arrived was kept
    assert _patch(api, location, held, data[held:]).status_code == 204
    assert upload_path(Upload.objects.get()).read_bytes() == data
    assert api.get(location).json()["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_raw_put_for_scripts(api):
    data = files.png()
    response = api.generic(
        "PUT", URL, data, content_type="image/png",
        HTTP_CONTENT_DISPOSITION='attachment; filename="снимок.png"',
        HTTP_UPLOAD_INVESTIGATION=default_investigation().slug,
        HTTP_UPLOAD_CHECKSUM_SHA256=hashlib.sha256(data).hexdigest(),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["filename"], body["length"]) == (
        "complete",
        "снимок.png",
        len(data),
    )


@pytest.mark.parametrize(
    "case, status, message",
    [
        ("wrong offset", 409, "starts at byte 5; the upload holds 0 bytes"),
        ("past the size", 413, "remain of the declared size"),
        ("bad checksum", 460, "not the announced"),
        ("refused type", 415, "this one is an HTML document"),
        ("too large", 413, "larger than the limit"),
        ("not a number", 400, "whole number"),
    ],
)
def test_bad_requests_are_clear_4xx_in_json_and_store_nothing(api, settings, case, status, message):
    data = files.png()
    if case == "too large":
        settings.EVIDENCE_MAX_UPLOAD_BYTES = 10
        response = _create(api, data)
    elif case == "not a number":
        response = api.post(URL, HTTP_UPLOAD_LENGTH="ten", HTTP_UPLOAD_METADATA=_meta(
            investigation=default_investigation().slug))  # fmt: skip
    else:
        body = files.HTML_AS_JPEG if case == "refused type" else data
        sha = "0" * 64 if case == "bad checksum" else ""
        location = _create(api, body, **({"sha256": sha} if sha else {}))["Location"]
        offset = 5 if case == "wrong offset" else 0
        part = body + b"extra" if case == "past the size" else body
        response = _patch(api, location, offset, part)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not EvidenceItem.objects.exists()
    if case in ("bad checksum", "refused type"):
        upload = Upload.objects.get()
        assert upload.state == "refused" and not upload_path(upload).exists()
        resumed = _patch(api, f"{URL}{upload.uuid}/", upload.offset, b"x")
        assert resumed.status_code == 410 and "was refused" in resumed.json()["detail"]


def test_another_users_or_another_investigations_upload_is_not_found(api, researcher, reviewer):
    data = files.png()
    location = _create(api, data)["Location"]
    other = APIClient()
    other.force_authenticate(reviewer)  # a member of the same investigation, not the owner
    assert other.head(location).status_code == 404
    assert _patch(other, location, 0, data).status_code == 404
    assert other.delete(location).status_code == 404
    elsewhere = Investigation.objects.create(name="Elsewhere", slug="elsewhere")
    refused = _create(api, data, investigation="elsewhere")
    assert refused.status_code == 404 and "cannot add evidence" in refused.json()["detail"]
    # An upload for one investigation cannot make evidence in another.
    MembershipFactory(investigation=elsewhere, user=researcher, role=Role.RESEARCHER)
    api.force_authenticate(type(researcher).objects.get(pk=researcher.pk))  # roles afresh
    assert _patch(api, location, 0, data).status_code == 204
    made = api.post("/api/v1/evidence/", {
        "investigation": "elsewhere", "kind": "photo", "title": "Moved",
        "upload": api.get(location).json()["id"],
    }, format="json")  # fmt: skip
    assert made.status_code == 400 and "another investigation" in str(made.json())
    viewer = UserFactory(username="watcher")
    MembershipFactory(user=viewer, role=Role.VIEWER)
    watcher = APIClient()
    watcher.force_authenticate(viewer)
    assert _create(watcher, data).status_code == 404  # viewers add nothing


def test_abandoned_uploads_are_removed(api, settings):
    location = _create(api, files.png())["Location"]
    upload = Upload.objects.get()
    assert upload_path(upload).exists() and uploads_remove_abandoned() == 0
    Upload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert uploads_remove_abandoned() == 1
    assert not upload_path(upload).exists() and api.head(location).status_code == 404
    assert api.delete(location).status_code == 404


def test_the_protocol_is_announced(api):
    response = api.options(URL)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0" and "creation" in response["Tus-Extension"]
