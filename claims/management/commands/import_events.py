from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.importers import ImportError_, import_events
from corroborate.progress import progress_bar

IMPORTER_USERNAME = "importer"


def importer_user(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        return user
    # Imports are recorded as made by this account, which cannot log in.
    user, created = User.objects.get_or_create(username=IMPORTER_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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
                paths, user=importer_user(user), progress=progress_bar(stream=self.stderr)
            )
        except ImportError_ as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for note in report.notes:
            self.stderr.write(note)
        self.stdout.write(self.style.SUCCESS(f"Imported news items: {report}."))
