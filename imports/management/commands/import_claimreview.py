from pathlib import Path

from django.utils.translation import gettext as _

from imports.claimreview import import_claimreview
from investigations.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import ClaimReview JSON-LD: one object, a list, or a fact-check search API response "
        "(claims[] with claimReview[]). Each becomes a claim with its claimant, a verdict "
        "from the rating (the original rating is kept), and the review and appearances as "
        "sources. All or nothing (see --skip-invalid); importing the same files again changes "
        "nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid entries and list each one skipped, with its reason",
        )
        super().add_arguments(parser)

    def run(self, *, files, skip_invalid, **options) -> str:
        report = import_claimreview(
            files,
            investigation=options["investigation"],
            user=options["user"],
            progress=options["progress"],
            skip_invalid=skip_invalid,
        )
        for note in report.notes:
            self.stderr.write(note)
        return _("Imported reviewed claims: %(report)s.") % {"report": report}
