"""`manage.py verify_dossier FILE.zip`: the checks of the verify.py inside every dossier
(the same code), one line each; exits non-zero when any fails."""

from pathlib import Path

from cryptography import x509
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proofs import verify


class Command(BaseCommand):
    help = (
        "Check a dossier ZIP (or the folder it was unpacked into): every file's SHA-256, the "
        "manifest's signature and its timestamp. The same checks as the verify.py inside it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dossier", type=Path, metavar="FILE")
        keys = parser.add_mutually_exclusive_group()
        keys.add_argument(
            "--public-key", type=Path, help="the signer's public key (PEM) or key list (JSON)"
        )
        keys.add_argument(
            "--fetch-key", action="store_true", help="fetch the keys the instance publishes"
        )
        parser.add_argument(
            "--tsa-cert",
            type=Path,
            action="append",
            default=[],
            help="the Time-Stamping Authority's certificate, or its CA's (PEM)",
        )

    def handle(self, *args, dossier: Path, public_key, fetch_key, tsa_cert, **options) -> None:
        if not dossier.exists():
            raise CommandError(_("%(path)s: no such file or folder") % {"path": dossier})
        try:
            keys = verify.read_keys(public_key.read_bytes()) if public_key else None
            certificates = [
                certificate
                for path in tsa_cert
                for certificate in x509.load_pem_x509_certificates(path.read_bytes())
            ]
        except (OSError, ValueError, verify.Failed) as error:
            raise CommandError(
                _("Cannot read a key or certificate given: %(error)s") % {"error": error}
            ) from None
        passed = verify.verify(
            dossier,
            keys=keys,
            fetch_keys=verify.fetch if fetch_key else None,
            tsa_certificates=certificates or None,
            out=self.stdout,
        )
        if not passed:
            raise CommandError(_("%(path)s failed verification.") % {"path": dossier})
