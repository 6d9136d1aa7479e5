"""`manage.py verify_dossier FILE.zip`: the checks of the verify.py inside every dossier
(the same code, with the same arguments), one line each; exits non-zero when any fails."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proofs import verify


class Command(BaseCommand):
    help = (
        "Check a dossier ZIP (or the folder it was unpacked into): every file's SHA-256, the "
        "manifest's signature and its timestamp. The same checks as the verify.py inside it."
    )

    def add_arguments(self, parser) -> None:
        verify.add_arguments(parser)

    def handle(self, *args, dossier: Path, public_key, fetch_key, tsa_cert, **options) -> None:
        if not dossier.exists():
            raise CommandError(_("%(path)s: no such file or folder") % {"path": dossier})
        try:
            keys, certificates = verify.given(public_key, tsa_cert)
        except (OSError, ValueError, verify.Failed) as error:
            raise CommandError(
                _("Cannot read a key or certificate given: %(error)s") % {"error": error}
            ) from None
        passed = verify.verify(
            dossier,
            keys=keys,
            fetch_keys=verify.fetch if fetch_key else None,
            tsa_certificates=certificates,
            out=self.stdout,
        )
        if not passed:
            raise CommandError(_("%(path)s failed verification.") % {"path": dossier})
