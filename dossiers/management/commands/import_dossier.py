from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.restore import import_dossier
from investigations.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Restore a claim from a dossier (ZIP or JSON) exported by another Corroborate "
        "instance. Evidence files are checked against their SHA-256 before anything is "
        "written; records are matched by UUID, so restoring twice changes nothing."
    )
    progress_label = gettext_lazy("checking files")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        super().add_arguments(parser)

    def run(self, *, file, **options) -> str:
        claim, report = import_dossier(
            file,
            investigation=options["investigation"],
            user=options["user"],
            progress=options["progress"],
        )
        for note in report.notes:
            self.stderr.write(note)
        return _("Restored claim %(uuid)s “%(statement)s”: %(report)s.") % {
            "uuid": claim.uuid,
            "statement": claim.statement,
            "report": report,
        }
