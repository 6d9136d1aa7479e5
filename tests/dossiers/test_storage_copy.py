"""manage.py storage_copy: a local store into the SeaweedFS bucket and back, every hash
verified, resumable, and a corrupted original caught and left out."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from dossiers.management.commands.storage_copy import Stored, _files
from evidence.services import evidence_create
from tests import files
from tests.factories import default_investigation
from tests.objectstore import client, s3_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def stores(settings, object_store, tmp_path):
    """Local is the default; the bucket (a prefix of this test's own) is the other store."""
    prefix = f"copy-{tmp_path.name[-20:]}"
    s3 = {"BACKEND": "storages.backends.s3.S3Storage",
          "OPTIONS": s3_options(object_store, "evidence", prefix)}  # fmt: skip
    settings.STORAGES = settings.STORAGES | {"s3": s3}
    return {"endpoint": object_store, "prefix": prefix}


def _bucket(stores) -> dict[str, bytes]:
    s3 = client(stores["endpoint"])
    listed = s3.list_objects_v2(Bucket="evidence", Prefix=stores["prefix"] + "/")
    return {
        entry["Key"].split("/", 1)[1]: s3.get_object(Bucket="evidence", Key=entry["Key"])[
            "Body"
        ].read()
        for entry in listed.get("Contents", [])
    }


def _copy(to: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("storage_copy", "--to", to, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _item(user, data: bytes, name: str, kind="photo"):
    return evidence_create(
        investigation=default_investigation(), kind=kind, title=name,
        file=ContentFile(data, name=name), original_filename=name, by=user,
    )  # fmt: skip


def test_local_to_bucket_and_back_byte_for_byte_and_resumable(
    researcher, stores, settings, tmp_path
):
    photo = _item(researcher, files.jpeg_with_exif(), "column.jpg")
    document = _item(researcher, files.pdf(), "report.pdf", kind="document")
    names = [stored.name for stored in _files()]
    assert photo.file.name in names and photo.thumbnail.name in names
    local = {name: (Path(settings.MEDIA_ROOT) / name).read_bytes() for name in names}

    out, _ = _copy("s3")
    assert f"{len(names)} files: {len(names)} copied, 0 already there" in out
    assert _bucket(stores) == local

    out, _ = _copy("s3")  # run again: nothing to do
    assert f"0 copied, {len(names)} already there with the right hash, 0 problems" in out
    # Interrupted half-way: one object never arrived; a second run copies just that one.
    client(stores["endpoint"]).delete_object(
        Bucket="evidence", Key=f"{stores['prefix']}/{document.file.name}"
    )
    out, _ = _copy("s3")
    assert f"1 copied, {len(names) - 1} already there" in out
    assert _bucket(stores) == local

    # And back, into an empty folder.
    restored = tmp_path / "restored"
    settings.STORAGES = settings.STORAGES | {
        "local": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                  "OPTIONS": {"location": str(restored)}}
    }  # fmt: skip
    out, _ = _copy("local")
    assert f"{len(names)} copied" in out
    assert {name: (restored / name).read_bytes() for name in names} == local


def test_a_corrupted_original_is_named_and_not_copied(researcher, stores, settings):
    photo = _item(researcher, files.png(), "a.png")
    other = _item(researcher, files.pdf(), "b.pdf", kind="document")
    path = Path(settings.MEDIA_ROOT) / photo.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="1 problems"):
        _copy("s3")
    copied = _bucket(stores)
    assert photo.file.name not in copied and other.file.name in copied
    # The bucket's copy of an original that was altered there is caught on the way back.
    key = f"{stores['prefix']}/{other.file.name}"
    client(stores["endpoint"]).put_object(Bucket="evidence", Key=key, Body=b"tampered")
    (Path(settings.MEDIA_ROOT) / other.file.name).unlink()
    err = io.StringIO()
    with pytest.raises(CommandError, match="problems"):
        call_command("storage_copy", "--to", "local", stdout=io.StringIO(), stderr=err)
    assert f"ALTERED original of evidence #{other.pk}" in err.getvalue()
    assert not (Path(settings.MEDIA_ROOT) / other.file.name).exists()


def test_without_a_bucket_it_says_so(settings):
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "s3"}
    with pytest.raises(CommandError, match="No bucket is configured"):
        _copy("s3")
    assert Stored("x", "y").sha256 == ""
