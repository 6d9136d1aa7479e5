from django.core.management.base import BaseCommand, CommandError

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
            word = "MISSING" if problem["problem"] == "missing" else "ALTERED"
            self.stderr.write(
                f"{word} #{problem['item']} “{problem['title']}”: {problem['detail']}"
            )
        if check.problems:
            raise CommandError(
                f"{len(check.problems)} of {check.checked} evidence files are missing or altered."
            )
        self.stdout.write(
            self.style.SUCCESS(f"All {check.checked} evidence files match their SHA-256.")
        )
