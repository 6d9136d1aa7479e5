from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.storage import StorageUnavailable
from evidence.services import evidence_verify_all


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence original and report each one that is missing or no "
        "longer matches the SHA-256 recorded at intake. Exits non-zero if any. The result "
        "is kept and shown to staff (Evidence integrity)."
    )

    def handle(self, *args, **options) -> None:
        try:
            check = evidence_verify_all()
        except StorageUnavailable as error:
            raise CommandError(f"{error} ({error.detail[:200]})") from None
        for problem in check.problems:
            line = (
                _("MISSING #%(item)s “%(title)s”: %(detail)s")
                if problem["problem"] == "missing"
                else _("ALTERED #%(item)s “%(title)s”: %(detail)s")
            )
            self.stderr.write(line % problem)
        if check.problems:
            raise CommandError(
                ngettext(
                    "%(problems)d of %(count)d evidence file is missing or altered.",
                    "%(problems)d of %(count)d evidence files are missing or altered.",
                    check.checked,
                )
                % {"problems": len(check.problems), "count": check.checked}
            )
        matched = ngettext(
            "The %(count)d evidence file matches its SHA-256.",
            "All %(count)d evidence files match their SHA-256.",
            check.checked,
        )
        self.stdout.write(self.style.SUCCESS(matched % {"count": check.checked}))
