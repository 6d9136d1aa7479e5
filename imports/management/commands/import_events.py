from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from imports.events import import_events


class Command(BaseCommand):
    help = (
        "Import news items in the Wikipedia Current Events markdown format (files, or folders "
        "walked recursively). All or nothing: on any error nothing is written, and the error "
        "names the file and line. Importing the same files again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--user", help="record the import as made by this user")

    def handle(self, *args, paths, user, **options) -> None:
        try:
            report = import_events(
                paths, user=command_user(user), progress=progress_bar(stream=self.stderr)
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for note in report.notes:
            self.stderr.write(note)
        self.stdout.write(self.style.SUCCESS(f"Imported news items: {report}."))
