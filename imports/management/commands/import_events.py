from pathlib import Path

from django.utils.translation import gettext as _

from imports.events import import_events
from investigations.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import news items in the Wikipedia Current Events markdown format (files, or folders "
        "walked recursively). All or nothing: on any error nothing is written, and the error "
        "names the file and line. Importing the same files again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        super().add_arguments(parser)

    def run(self, *, paths, **options) -> str:
        report = import_events(
            paths,
            investigation=options["investigation"],
            user=options["user"],
            progress=options["progress"],
        )
        for note in report.notes:
            self.stderr.write(note)
        return _("Imported news items: %(report)s.") % {"report": report}
