from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from imports.events import import_events
from investigations.selectors import investigation_for_command


class Command(BaseCommand):
    help = (
        "Import news items in the Wikipedia Current Events markdown format (files, or folders "
        "walked recursively). All or nothing: on any error nothing is written, and the error "
        "names the file and line. Importing the same files again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--user", help="record the import as made by this user")
        parser.add_argument(
            "--investigation",
            metavar="SLUG",
            help="the investigation to import into (required when there are several)",
        )

    def handle(self, *args, paths, user, investigation, **options) -> None:
        try:
            report = import_events(
                paths,
                investigation=investigation_for_command(investigation),
                user=command_user(user),
                progress=progress_bar(stream=self.stderr),
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for note in report.notes:
            self.stderr.write(note)
        self.stdout.write(self.style.SUCCESS(f"Imported news items: {report}."))
