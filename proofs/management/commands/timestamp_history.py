"""`manage.py timestamp_history`: have the Time-Stamping Authority witness the history's
head now (the scheduler does it every TIMESTAMP_HISTORY_EVERY_HOURS)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import history
from proofs.timestamps import TimestampUnavailable, timestamp_head


class Command(BaseCommand):
    help = "Timestamp the history's head with the Time-Stamping Authority (TIMESTAMP_URL)."

    def handle(self, *args, **options) -> None:
        try:
            witness = timestamp_head()
        except TimestampUnavailable as error:
            raise CommandError(str(error)) from None
        if witness is None:
            self.stdout.write(
                _("The head (entry %(seq)d) is timestamped already.") % {"seq": history.head_seq()}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Timestamped entry %(seq)d, hash %(hash)s: %(date)s (%(authority)s).")
                % {
                    "seq": witness.seq,
                    "hash": witness.hash,
                    "date": f"{witness.stamped_at:%Y-%m-%d %H:%M:%S} UTC",
                    "authority": witness.authority,
                }
            )
        )
