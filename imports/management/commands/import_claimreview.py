from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.accounts import command_user
from core.importing import ImportFailed
from core.progress import progress_bar
from imports.claimreview import import_claimreview
from investigations.selectors import investigation_for_command


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
        parser.add_argument(
            "--investigation",
            metavar="SLUG",
            help="the investigation to import into (required when there are several)",
        )

    def handle(self, *args, files, user, investigation, **options) -> None:
        try:
            report = import_claimreview(
                files,
                investigation=investigation_for_command(investigation),
                user=command_user(user),
                progress=progress_bar(stream=self.stderr),
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported reviewed claims: {report}."))
