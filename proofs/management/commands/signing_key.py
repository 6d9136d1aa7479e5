"""`manage.py signing_key create|show`: the instance's Ed25519 key for signing dossiers."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proofs.keys import KeyUnavailable, configured_key, create_key_file, current_key, published


class Command(BaseCommand):
    help = (
        "create: write a new Ed25519 signing key to SIGNING_KEY_FILE (--rotate replaces the "
        "current one; the old public key stays published with its period of use). show: the "
        "current key's fingerprint and every key the instance has signed with."
    )
    requires_system_checks = []  # the check it would run warns that there is no key yet

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create the signing key")
        create.add_argument("--rotate", action="store_true", help="replace the current key")
        create.add_argument(
            "--if-missing", action="store_true", help="do nothing when there is a key already"
        )
        actions.add_parser("show", help="the keys and their fingerprints")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, action)(**options)
        except KeyUnavailable as error:
            raise CommandError(str(error)) from None

    def create(self, *, rotate: bool, if_missing: bool, **options) -> None:
        if settings.SIGNING_KEY:
            raise CommandError(
                _(
                    "The key comes from SIGNING_KEY here: unset it to use SIGNING_KEY_FILE, or "
                    "put a new key's PEM in SIGNING_KEY (openssl genpkey -algorithm ed25519)."
                )
            )
        path = Path(settings.SIGNING_KEY_FILE)
        if if_missing and path.exists():
            self.stdout.write(
                _("Signing key: %(fingerprint)s") % {"fingerprint": configured_key().fingerprint}
            )
            return
        key, retired = create_key_file(path, rotate=rotate)
        if retired:
            self.stdout.write(
                _("The previous key was moved to %(path)s: destroy it once you no longer need it.")
                % {"path": retired}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the signing key %(path)s: %(fingerprint)s")
                % {"path": path, "fingerprint": key.fingerprint}
            )
        )

    def show(self, **options) -> None:
        current = current_key()
        self.stdout.write(_("Signing key: %(fingerprint)s") % {"fingerprint": current.fingerprint})
        self.stdout.write(current.public_pem.strip())
        for key in published()["keys"]:
            period = (
                _("%(fingerprint)s in use from %(start)s until %(end)s")
                if key["valid_until"]
                else _("%(fingerprint)s in use since %(start)s")
            )
            self.stdout.write(
                period
                % {
                    "fingerprint": key["fingerprint"],
                    "start": key["valid_from"],
                    "end": key["valid_until"],
                }
            )
