"""`manage.py read_credentials`: read the content credentials (C2PA) of evidence received
before Corroborate read them at intake. Run once after upgrading; running it again reads
only what is still unread."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy, ngettext

from core.progress import progress_bar
from core.storage import StorageUnavailable
from evidence.services import evidence_credentials_backfill


class Command(BaseCommand):
    help = (
        "Read and validate the content credentials (C2PA) of evidence files received before "
        "they were read at intake."
    )

    def handle(self, *args, **options) -> None:
        try:
            read = evidence_credentials_backfill(
                progress=progress_bar(gettext_lazy("reading credentials"), stream=self.stderr)
            )
        except StorageUnavailable as error:
            raise CommandError(f"{error} ({error.detail[:200]})") from None
        said = ngettext(
            "Content credentials read for %(count)d evidence file.",
            "Content credentials read for %(count)d evidence files.",
            read,
        )
        self.stdout.write(self.style.SUCCESS(said % {"count": read}))
