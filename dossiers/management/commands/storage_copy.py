"""Copy every stored file from one store into the other: a local folder into an S3 bucket
before switching EVIDENCE_STORAGE to s3, or back.

    manage.py storage_copy --to s3        # MEDIA_ROOT into the bucket (S3_* settings)
    manage.py storage_copy --to local     # the bucket into MEDIA_ROOT

Every file is streamed (never held whole in memory) and hashed as it is read; an evidence
original must match the SHA-256 recorded at intake before it is copied, and every copy is
read back from the target and must match what was read from the source. A file already in
the target with the right hash is left alone, so a run that was interrupted is simply run
again. Each problem is one line; the exit status is non-zero if there was any.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.progress import progress_bar
from core.storage import StorageUnavailable, chunks, open_stream, translated_errors
from dossiers.models import Preparation, PreparedDossier
from evidence.models import EvidenceItem


@dataclass
class Stored:
    name: str
    what: str  # for people: "original of #12", "thumbnail of #12", ...
    sha256: str = ""  # known in advance for evidence originals


class _Hashing:
    """A file-like view of a stream that hashes what is read through it."""

    closed = False

    def __init__(self, handle) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        pass  # the command closes the stream it opened

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size) if size and size > 0 else self.handle.read()
        self.digest.update(data)
        self.size += len(data)
        return data


_DERIVED = {
    "thumbnail": gettext_lazy("thumbnail of evidence #%(pk)d"),
    "preview": gettext_lazy("preview of evidence #%(pk)d"),
    "keyframe_strip": gettext_lazy("keyframe strip of evidence #%(pk)d"),
}


def _missing(stored: Stored) -> str:
    return _("MISSING %(what)s: %(name)s is not in the source store") % {
        "what": stored.what,
        "name": stored.name,
    }


def _files():
    items = EvidenceItem.objects.exclude(file="").only(
        "pk", "file", "sha256", "thumbnail", "preview", "keyframe_strip"
    )
    for item in items.order_by("pk").iterator(chunk_size=500):
        yield Stored(
            item.file.name, _("original of evidence #%(pk)d") % {"pk": item.pk}, item.sha256
        )
        for kind, what in _DERIVED.items():
            field = getattr(item, kind)
            if field:
                yield Stored(field.name, what % {"pk": item.pk})
    prepared = PreparedDossier.objects.filter(state=Preparation.READY).exclude(file="")
    for dossier in prepared.only("pk", "file", "sha256").iterator():
        yield Stored(
            dossier.file.name, _("prepared dossier %(pk)d") % {"pk": dossier.pk}, dossier.sha256
        )


def _sha256(storage, name: str) -> str | None:
    """The hash of the stored file, or None when it is not there."""
    digest = hashlib.sha256()
    try:
        for chunk in chunks(storage, name):
            digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def _write(storage, name: str, reader) -> None:
    with translated_errors():
        storage.delete(name)  # a local folder would otherwise pick another name
        written = storage.save(name, File(reader, name=name))
    if written != name:
        raise CommandError(
            _("the target stored %(name)s as %(written)s") % {"name": name, "written": written}
        )


class Command(BaseCommand):
    help = (
        "Copy every evidence file, preview and prepared dossier from one store into the "
        "other (--to s3: the local folder into the bucket; --to local: back), verifying "
        "every hash; run it again to resume."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", required=True, choices=["s3", "local"])

    def handle(self, *args, to: str, **options) -> None:
        if "s3" not in settings.STORAGES:
            raise CommandError(
                _("No bucket is configured: set S3_BUCKET and the other S3_* settings.")
            )
        source = storages["local" if to == "s3" else "s3"]
        target = storages[to]
        files = list(_files())
        show = progress_bar("storage_copy: ", self.stderr)
        copied = present = 0
        problems: list[str] = []
        try:
            for done, stored in enumerate(files, 1):
                outcome = self._copy(stored, source, target)
                if outcome == "copied":
                    copied += 1
                elif outcome == "present":
                    present += 1
                else:
                    problems.append(outcome)
                    self.stderr.write(outcome)
                show(done, len(files))
        except StorageUnavailable as error:
            raise CommandError(
                _("%(error)s (%(detail)s) Run again to resume.")
                % {"error": error, "detail": error.detail[:200]}
            ) from None
        summary = ngettext(
            "%(count)d file: %(copied)d copied, %(present)d already there with the right hash, "
            "%(problems)d problems.",
            "%(count)d files: %(copied)d copied, %(present)d already there with the right hash, "
            "%(problems)d problems.",
            len(files),
        ) % {"count": len(files), "copied": copied, "present": present, "problems": len(problems)}
        if problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _copy(self, stored: Stored, source, target) -> str:
        # What the copy must hash to: recorded at intake for an original, read from the
        # source now for a preview.
        expected = stored.sha256 or _sha256(source, stored.name)
        if expected is None:
            return _missing(stored)
        if _sha256(target, stored.name) == expected:
            return "present"
        try:
            handle = open_stream(source, stored.name)
        except FileNotFoundError:
            return _missing(stored)
        reader = _Hashing(handle)
        try:
            _write(target, stored.name, reader)
        finally:
            handle.close()
        read = reader.digest.hexdigest()
        if read != expected:
            with translated_errors():
                target.delete(stored.name)
            return _(
                "ALTERED %(what)s: the source holds %(read)s, recorded %(expected)s; not copied"
            ) % {
                "what": stored.what,
                "read": read,
                "expected": expected,
            }
        if _sha256(target, stored.name) != read:
            with translated_errors():
                target.delete(stored.name)
            return _("CORRUPTED %(what)s: the copy in the target does not match; removed") % {
                "what": stored.what
            }
        return "copied"
