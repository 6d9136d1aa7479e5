from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from dossiers.restore import import_dossier
from investigations.selectors import investigation_for_command


class Command(BaseCommand):
    help = (
        "Restore a claim from a dossier (ZIP or JSON) exported by another Corroborate "
        "instance. Evidence files are checked against their SHA-256 before anything is "
        "written; records are matched by UUID, so restoring twice changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--user", help="record the restore as made by this user")
        parser.add_argument(
            "--investigation",
            metavar="SLUG",
            help="the investigation to restore into (required when there are several)",
        )

    def handle(self, *args, file, user, investigation, **options) -> None:
        try:
            claim, report = import_dossier(
                file,
                investigation=investigation_for_command(investigation),
                user=command_user(user),
                progress=progress_bar("checking files ", stream=self.stderr),
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored claim {claim.uuid} “{claim.statement}”: {report}.")
        )
