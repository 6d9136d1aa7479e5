import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.models import Claim
from core.accounts import user_named
from core.progress import progress_bar
from dossiers import export
from dossiers.build import build
from proofs.keys import KeyUnavailable, current_key

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
        raise CommandError(
            _("“%(reference)s” is neither a claim id nor a claim UUID.") % {"reference": reference}
        ) from None
    claim = Claim.objects.filter(**lookup).first()
    if claim is None:
        raise CommandError(
            _("No claim with id or UUID “%(reference)s”.") % {"reference": reference}
        )
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
        exporter = user_named(user) if user else None
        if format == "zip":
            try:
                current_key()  # before any writing
            except KeyUnavailable as error:
                raise CommandError(str(error)) from None
        several = len(found) > 1 or output.is_dir()
        progress = progress_bar(_("exporting"), stream=self.stderr)
        if several:
            output.mkdir(parents=True, exist_ok=True)
        for number, claim in enumerate(found, start=1):
            dossier = build(claim.pk, include_unreviewed=include_unreviewed, exported_by=exporter)
            path = output / f"{dossier.file_stem}.{format}" if several else output
            if format == "zip":
                members = export.dossier_members(dossier)
                size = export.write_zip(members, path, exported_by=user)
            else:
                data = WRITERS[format](dossier)
                path.write_bytes(data)
                size = len(data)
            export.record_export(dossier, user=exporter, what=f"{format.upper()} (command line)")
            progress(number, len(found))
            if several:
                self.stdout.write(
                    _("%(path)s (%(size)s MB)")
                    % {"path": path, "size": number_format(size / 1e6, 1)}
                )
        exported = ngettext(
            "Exported %(count)d dossier to %(output)s.",
            "Exported %(count)d dossiers to %(output)s.",
            len(found),
        )
        self.stdout.write(self.style.SUCCESS(exported % {"count": len(found), "output": output}))
