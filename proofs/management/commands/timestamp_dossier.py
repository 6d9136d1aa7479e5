"""`manage.py timestamp_dossier FILE.zip ...`: add the timestamp a dossier was exported
without (the authority was down, or none was configured then). The manifest and its
signature stay as they are; the token is of the manifest, and SHA256SUMS is written anew."""

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proofs import verify
from proofs.timestamps import TimestampUnavailable, timestamp


def add_timestamp(path: Path) -> str:
    """Timestamp the manifest of the dossier ZIP at `path`, in place; returns the time."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if verify.MANIFEST not in names:
            raise CommandError(_("%(path)s holds no manifest.json.") % {"path": path})
        if verify.TOKEN in names:
            raise CommandError(_("%(path)s is timestamped already.") % {"path": path})
        manifest = archive.read(verify.MANIFEST)
        try:
            token, stamp = timestamp(manifest)
        except TimestampUnavailable as error:
            raise CommandError(str(error)) from None
        kept = [n for n in names if n not in (verify.NO_TOKEN, verify.SUMS)]
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".zip")
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as out:
                sums = []
                for name in kept:
                    digest = hashlib.sha256()
                    with (
                        archive.open(name) as source,
                        out.open(
                            zipfile.ZipInfo(name, archive.getinfo(name).date_time),
                            "w",
                            force_zip64=True,
                        ) as target,
                    ):
                        for chunk in iter(lambda: source.read(verify.CHUNK), b""):
                            digest.update(chunk)
                            target.write(chunk)
                    sums.append(f"{digest.hexdigest()}  {name}\n")
                out.writestr(verify.TOKEN, token)
                sums.append(f"{hashlib.sha256(token).hexdigest()}  {verify.TOKEN}\n")
                out.writestr(verify.SUMS, "".join(sums))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return f"{stamp.time:%Y-%m-%d %H:%M:%S} UTC ({stamp.authority})"


class Command(BaseCommand):
    help = (
        "Add a trusted timestamp (TIMESTAMP_URL) to dossier ZIPs exported without one; the "
        "signed manifest is unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args, files: list[Path], **options) -> None:
        for path in files:
            if not path.is_file():
                raise CommandError(_("%(path)s: no such file") % {"path": path})
            try:
                when = add_timestamp(path)
            except zipfile.BadZipFile:
                raise CommandError(_("%(path)s is not a ZIP file.") % {"path": path}) from None
            self.stdout.write(
                self.style.SUCCESS(
                    _("Timestamped %(path)s: %(when)s") % {"path": path, "when": when}
                )
            )
