"""Uploads that survive dropped connections: the tus protocol's core (tus.io, 1.0.0), with
its creation, termination and expiration extensions, served at /api/v1/uploads/.

A client announces a file (its size, name and optionally its SHA-256) and sends its bytes
in one or more PATCH requests, each starting where the server says the file ends; when a
connection drops, the bytes that arrived are kept and the client asks (HEAD) where to go
on. Each part is written to the scratch folder and hashed as it arrives; when the last
byte is in, the SHA-256 is compared with the announced one. A finished upload is then
taken by an evidence item (`upload` on the API or the web form) and goes through the same
intake as any file. Uploads not finished or not used within UPLOAD_EXPIRE_HOURS are
removed by a periodic task.

The running SHA-256 of an upload lives in the memory of the process that received its
last part; a part that arrives at another process (or after a restart) first re-reads
what is on disk. One part at a time per upload: a second concurrent PATCH is refused.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import Upload, UploadState
from evidence.sniff import HEAD_BYTES, detect
from evidence.uploads import incoming_dir
from investigations.models import Investigation

CHUNK = 4 * 1024 * 1024
_KEPT_HASHES = 64
_HASHERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="upload-sha256")


class UploadError(Exception):
    """A request the protocol refuses: an HTTP status and a message for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def upload_path(upload: Upload) -> Path:
    folder = incoming_dir() / "uploads"
    folder.mkdir(exist_ok=True)
    return folder / upload.uuid.hex


# The running hashes: (upload uuid) -> (offset, sha256 object), most recent last.
_hashes: OrderedDict = OrderedDict()
_hashes_lock = threading.Lock()


def _running_hash(upload: Upload, path: Path):
    with _hashes_lock:
        kept = _hashes.pop(upload.uuid, None)
    if kept is not None and kept[0] == upload.offset:
        return kept[1]
    digest = hashlib.sha256()  # another process took the earlier parts: read them again
    with open(path, "rb") as done:
        remaining = upload.offset
        while remaining:
            block = done.read(min(CHUNK, remaining))
            if not block:
                break
            digest.update(block)
            remaining -= len(block)
    return digest


def _keep_hash(upload: Upload, offset: int, digest) -> None:
    with _hashes_lock:
        _hashes[upload.uuid] = (offset, digest)
        while len(_hashes) > _KEPT_HASHES:
            _hashes.popitem(last=False)


def upload_create(
    *, by, investigation: Investigation, length: int, filename: str = "", sha256: str = ""
) -> Upload:
    if length < 1:
        raise UploadError(400, _("The file is empty."))
    if length > settings.EVIDENCE_MAX_UPLOAD_BYTES:
        raise UploadError(
            413,
            _("The file is larger than the limit of %(limit)s bytes.")
            % {"limit": settings.EVIDENCE_MAX_UPLOAD_BYTES},
        )
    sha256 = sha256.strip().lower()
    if sha256 and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)):
        raise UploadError(400, _("The announced SHA-256 is not 64 hexadecimal digits."))
    expires = timezone.now() + datetime.timedelta(hours=settings.UPLOAD_EXPIRE_HOURS)
    upload = Upload.objects.create(
        owner=by, investigation=investigation, length=length, filename=Path(filename).name[:255],
        announced_sha256=sha256, expires_at=expires,
    )  # fmt: skip
    upload_path(upload).touch()
    return upload


def upload_of(user, uuid) -> Upload:
    """The user's own upload, in an investigation they may still add to; 404 otherwise."""
    from investigations.selectors import writable_investigations

    upload = Upload.objects.filter(uuid=uuid, owner=user).first()
    writable = writable_investigations(user).filter(pk=getattr(upload, "investigation_id", None))
    if upload is None or not writable.exists():
        raise UploadError(404, _("No such upload."))
    return upload


def _refuse(upload: Upload, reason: str) -> None:
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.REFUSED, reason=reason[:500])
    upload_path(upload).unlink(missing_ok=True)


def upload_receive(*, upload: Upload, offset: int, stream, length: int | None) -> Upload:
    """Write the bytes of one PATCH at `offset`, hashing them; returns the upload with its
    new offset. What arrived before a dropped connection is kept."""
    if upload.state == UploadState.REFUSED:
        raise UploadError(410, _("This upload was refused: %(reason)s") % {"reason": upload.reason})
    if upload.state != UploadState.RECEIVING:
        raise UploadError(409, _("This upload is complete; nothing more can be added."))
    if offset != upload.offset:
        raise UploadError(
            409,
            _("The part starts at byte %(given)s; the upload holds %(held)s bytes.")
            % {"given": offset, "held": upload.offset},
        )
    room = upload.length - upload.offset
    if length is not None and length > room:
        raise UploadError(
            413,
            _("The part is %(n)s bytes; only %(room)s remain of the declared size.")
            % {"n": length, "room": room},
        )
    path = upload_path(upload)
    if not path.exists():
        raise UploadError(410, _("This upload's data is gone; start again."))
    fd = os.open(path, os.O_WRONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadError(423, _("Another part of this upload is arriving now.")) from None
        upload.refresh_from_db()
        if upload.offset != offset:
            raise UploadError(409, _("The upload moved on meanwhile; ask where it stands."))
        os.ftruncate(fd, offset)  # anything past the last recorded byte is dropped
        os.lseek(fd, offset, os.SEEK_SET)
        digest = _running_hash(upload, path)
        received, too_long, hashing = 0, False, None
        try:
            while True:
                block = stream.read(min(CHUNK, room - received + 1))
                if not block:
                    break
                if received + len(block) > room:
                    too_long = True
                    block = block[: room - received]
                # SHA-256 releases the GIL: one block is hashed in a helper thread while
                # it is written here and the next one is read from the network.
                if hashing is not None:
                    hashing.result()
                hashing = _HASHERS.submit(digest.update, block)
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view) :]
                received += len(block)
                if too_long:
                    break
        except OSError:
            pass  # the connection dropped: keep what arrived
        finally:
            if hashing is not None:
                hashing.result()
        offset += received
        _keep_hash(upload, offset, digest.copy())
        Upload.objects.filter(pk=upload.pk).update(offset=offset)
        upload.offset = offset
        if too_long:
            raise UploadError(413, _("More bytes were sent than the declared size."))
        if offset == upload.length:
            _finish(upload, digest.hexdigest())
    finally:
        os.close(fd)
    return upload


def _finish(upload: Upload, sha256: str) -> None:
    if upload.announced_sha256 and sha256 != upload.announced_sha256:
        reason = _("The file's SHA-256 is %(actual)s, not the announced %(announced)s.") % {
            "actual": sha256,
            "announced": upload.announced_sha256,
        }
        _refuse(upload, reason)
        raise UploadError(460, reason)
    with open(upload_path(upload), "rb") as head:
        kind = detect(head.read(HEAD_BYTES))
    if not kind.accepted:  # said at once, not after the evidence form is filled in
        reason = _("Files of this kind are not accepted: this one is %(kind)s.") % {
            "kind": kind.name
        }
        _refuse(upload, reason)
        raise UploadError(415, reason)
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.COMPLETE, sha256=sha256)
    upload.state, upload.sha256 = UploadState.COMPLETE, sha256


def upload_delete(*, upload: Upload) -> None:
    upload_path(upload).unlink(missing_ok=True)
    upload.delete()


def upload_take(*, user, uuid, investigation: Investigation):
    """A complete upload of the user's, for an evidence item of `investigation`, checked
    by the intake like any file; returns the Intake for evidence_create (`received`)."""
    from django.core.exceptions import ValidationError

    from evidence import intake as pipeline

    try:
        upload = upload_of(user, uuid)
    except UploadError:
        raise ValidationError({"upload": _("No such upload.")}, code="no_upload") from None
    if upload.investigation_id != investigation.pk:
        raise ValidationError(
            {"upload": _("This upload was made for another investigation.")},
            code="other_investigation",
        )
    if upload.state != UploadState.COMPLETE:
        message = (
            _("This upload is not complete (%(n)s of %(total)s bytes).")
            % {"n": upload.offset, "total": upload.length}
            if upload.state == UploadState.RECEIVING
            else _("This upload can no longer be used.")
        )
        raise ValidationError({"upload": message}, code="not_complete")
    try:
        intake = pipeline.receive_received(
            upload_path(upload), sha256=upload.sha256, size=upload.length,
            original_filename=upload.filename,
        )  # fmt: skip
    except FileNotFoundError:
        raise ValidationError(
            {"upload": _("This upload's data is gone; send the file again.")}, code="gone"
        ) from None
    except ValidationError as error:
        raise ValidationError({"upload": " ".join(error.messages)}, code="refused") from None
    # For the chain of custody: how the file came in.
    intake.received_as = _("sent in parts as resumable upload %(id)s") % {"id": upload.uuid}
    if upload.announced_sha256:
        intake.received_as += _(", matching the SHA-256 its sender announced")
    return intake


def upload_used(uuid) -> None:
    """Taken by an evidence item (in the same transaction): its bytes are in the store, and
    the scratch copy (left behind when the store is a bucket) goes once that commits."""
    Upload.objects.filter(uuid=uuid).update(state=UploadState.USED)
    path = incoming_dir() / "uploads" / uuid_hex(uuid)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def uuid_hex(value) -> str:
    return value.hex if hasattr(value, "hex") else str(value).replace("-", "")


def uploads_remove_abandoned() -> int:
    """Remove uploads past their time (the periodic task); returns how many."""
    removed = 0
    for upload in Upload.objects.filter(expires_at__lte=timezone.now()).iterator():
        upload_delete(upload=upload)
        removed += 1
    return removed
