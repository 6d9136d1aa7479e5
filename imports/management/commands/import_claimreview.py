from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from imports.claimreview import import_claimreview


class Command(BaseCommand):
    help = (
        "Import ClaimReview JSON-LD: one object, a list, or a fact-check search API response "
        "(claims[] with claimReview[]). Each becomes a claim with its claimant, a verdict "
        "from the rating (the original rating is kept), and the review and appearances as "
        "sources. All or nothing; importing the same files again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--user", help="record the import as made by this user")

    def handle(self, *args, files, user, **options) -> None:
        try:
            report = import_claimreview(
                files, user=command_user(user), progress=progress_bar(stream=self.stderr)
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported reviewed claims: {report}."))
