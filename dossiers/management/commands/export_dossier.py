import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim
from core.progress import progress_bar
from dossiers import export
from dossiers.build import build

WRITERS = {
    "html": lambda dossier: export.render_html(dossier).encode(),
    "pdf": export.render_pdf,
    "json": export.render_json,
}


def _find(reference: str) -> Claim:
    try:
        lookup = (
            {"uuid": uuid.UUID(reference)} if not reference.isdigit() else {"pk": int(reference)}
        )
    except ValueError:
        raise CommandError(f"“{reference}” is neither a claim id nor a claim UUID.") from None
    claim = Claim.objects.filter(**lookup).first()
    if claim is None:
        raise CommandError(f"No claim with id or UUID “{reference}”.")
    return claim


class Command(BaseCommand):
    help = (
        "Export the dossier of one or more claims (by id or UUID) as HTML, PDF, JSON or a "
        "self-verifying ZIP bundle. With several claims, --output is a folder."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("claims", nargs="+", metavar="CLAIM", help="claim id or UUID")
        parser.add_argument("--format", choices=["html", "pdf", "json", "zip"], default="zip")
        parser.add_argument("--output", required=True, type=Path, help="file, or folder")
        parser.add_argument(
            "--include-unreviewed",
            action="store_true",
            help="also include pending evidence, marked as unreviewed",
        )
        parser.add_argument("--user", help="record the export in the custody log as this user")

    def handle(self, *args, claims, format, output, include_unreviewed, user, **options) -> None:
        found = [_find(reference) for reference in claims]  # every claim, before any writing
        exporter = None
        if user:
            exporter = get_user_model().objects.filter(username=user).first()
            if exporter is None:
                raise CommandError(f"No user “{user}”.")
        several = len(found) > 1 or output.is_dir()
        progress = progress_bar("exporting ", stream=self.stderr)
        if several:
            output.mkdir(parents=True, exist_ok=True)
        for number, claim in enumerate(found, start=1):
            dossier = build(claim.pk, include_unreviewed=include_unreviewed, exported_by=exporter)
            path = output / f"{dossier.file_stem}.{format}" if several else output
            if format == "zip":
                size = export.write_zip(export.dossier_members(dossier), path)
            else:
                data = WRITERS[format](dossier)
                path.write_bytes(data)
                size = len(data)
            export.record_export(dossier, user=exporter, what=f"{format.upper()} (command line)")
            progress(number, len(found))
            if several:
                self.stdout.write(f"{path} ({size / 1e6:.1f} MB)")
        self.stdout.write(self.style.SUCCESS(f"Exported {len(found)} dossier(s) to {output}."))
