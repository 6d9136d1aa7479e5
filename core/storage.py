"""What the rest of the code needs from a file store, local or an S3-compatible bucket:
reading a stored file as a stream, a signed link to one, and one kind of error when the
store cannot be reached.

Django's Storage API covers saving and deleting. Reading through it from a bucket first
copies the whole object to a temporary file (django-storages' S3File), so a 2 GB video
would be fetched before its first byte is hashed or sent; `stream()` reads the object's
body as it arrives instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext

CHUNK = 1024 * 1024


class StorageUnavailable(Exception):
    """The file store did not answer (or refused us); the message is for people."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            gettext(
                "The evidence store cannot be reached just now; nothing was changed. "
                "Try again in a moment, or ask an administrator to check the storage."
            )
        )
        self.detail = detail


def _is_bucket(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _errors() -> tuple[type[BaseException], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - django-storages' S3 backend is installed
        return (PermissionError,)
    return (BotoCoreError, ClientError, PermissionError)


def _is_missing(error: BaseException) -> bool:
    response = getattr(error, "response", None) or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status == 404 or response.get("Error", {}).get("Code") in ("NoSuchKey", "404")


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Store errors as StorageUnavailable; a missing object as FileNotFoundError."""
    try:
        yield
    except FileNotFoundError:
        raise
    except _errors() as error:
        if _is_missing(error):
            raise FileNotFoundError(str(error)) from error
        raise StorageUnavailable(str(error)) from error


def open_stream(storage, name: str) -> BinaryIO:
    """A stored file opened for reading as a stream (read(n) as the bytes arrive); the
    caller closes it. FileNotFoundError when it is not there."""
    with translated_errors():
        if _is_bucket(storage):
            return storage.bucket.Object(storage._normalize_name(name)).get()["Body"]
        return storage.open(name, "rb")


@contextlib.contextmanager
def stream(storage, name: str) -> Iterator[BinaryIO]:
    handle = open_stream(storage, name)
    try:
        with translated_errors():
            yield handle
    finally:
        handle.close()


def chunks(storage, name: str) -> Iterator[bytes]:
    with stream(storage, name) as handle:
        yield from iter(lambda: handle.read(CHUNK), b"")


def local_path(storage, name: str) -> str | None:
    """The file's path on this machine, when the store is a folder here."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def signed_link(storage, name: str, *, filename_header: str, content_type: str) -> str | None:
    """A link to the object that works for at most S3_LINK_SECONDS and makes the browser
    save it under its own name; None for a store that has no such links (a local folder)."""
    if not _is_bucket(storage):
        return None
    with translated_errors():
        return storage.url(
            name,
            parameters={
                "ResponseContentDisposition": filename_header,
                "ResponseContentType": content_type,
            },
        )
