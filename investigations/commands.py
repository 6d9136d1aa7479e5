"""What every command that writes into an investigation shares: `--investigation SLUG`
(which may be left out while the instance has one), `--user`, and one readable line for a
file that cannot be imported."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from investigations.selectors import investigation_for_command


class ImportCommand(BaseCommand):
    """Subclasses add their file arguments and implement `run(**options)`, which gets the
    investigation, the acting user and a progress bar, and returns its message."""

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", help="record the import as made by this user")
        parser.add_argument(
            "--investigation",
            metavar="SLUG",
            help="the investigation to write into (required when there are several)",
        )

    def handle(self, *args, user, investigation, **options) -> None:
        try:
            message = self.run(
                investigation=investigation_for_command(investigation),
                user=command_user(user),
                progress=progress_bar(self.progress_label, stream=self.stderr),
                **options,
            )
        except ImportFailed as error:
            raise CommandError(_("Nothing was imported. %(error)s") % {"error": error}) from None
        self.stdout.write(self.style.SUCCESS(message))

    progress_label = ""

    def run(self, **options) -> str:  # pragma: no cover - abstract
        raise NotImplementedError
