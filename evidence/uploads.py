"""The upload handler: an upload is written to disk once, hashed while it arrives.

Django hands each chunk of the request body to this handler as it is read from the
network. The chunk goes straight to a temporary file next to the evidence store (so that
storing it later is a rename, not a copy) while SHA-256 and the size are updated. Memory
stays flat however large the file. Past the size limit nothing more is written; the intake
then refuses the file with a message.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def incoming_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


class HashedUploadedFile(UploadedFile):
    """An uploaded file on disk with the SHA-256 and size of exactly the bytes received."""

    def __init__(self, name: str, content_type: str, charset, content_type_extra=None):
        # Deleted on close unless the intake has moved it into the store first; Django closes
        # every uploaded file when the request ends.
        handle = tempfile.NamedTemporaryFile(dir=incoming_dir(), prefix="upload-")  # noqa: SIM115
        super().__init__(handle, name, content_type, 0, charset, content_type_extra)
        self._digest = hashlib.sha256()
        self.too_large = False
        self.sha256 = ""

    def temporary_file_path(self) -> str:
        return self.file.name

    def write_chunk(self, chunk: bytes) -> None:
        if self.too_large:
            return
        if self.size + len(chunk) > settings.EVIDENCE_MAX_UPLOAD_BYTES:
            # Stop writing; keep the count so the refusal can say how much was sent.
            self.too_large = True
            self.file.truncate(0)
        else:
            self.file.write(chunk)
            self._digest.update(chunk)
        self.size += len(chunk)

    def finish(self) -> None:
        self.file.flush()
        self.file.seek(0)
        self.sha256 = self._digest.hexdigest()

    def close(self):
        try:
            return self.file.close()
        except FileNotFoundError:
            pass  # already moved into the evidence store


class HashingUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = HashedUploadedFile(
            self.file_name, self.content_type, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.write_chunk(raw_data)
        return None  # the data stops here: no later handler keeps a copy

    def file_complete(self, file_size: int) -> HashedUploadedFile:
        self.file.finish()
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()
