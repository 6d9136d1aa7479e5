from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import history
from core.models import HistoryEntry
from proofs.models import HeadTimestamp
from proofs.timestamps import head_witness_problems


class Command(BaseCommand):
    help = (
        "Walk the hash-chained history and report the first entry that was edited, removed "
        "or inserted. Exits non-zero if the chain is broken. Prints the head hash, which "
        "can be kept elsewhere and checked later with --expect-head. Every timestamp of "
        "the head (manage.py timestamp_history) must still match the chain."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="HASH",
            help="fail unless the chain still ends in this hash (one noted down earlier), or "
            "runs on from it",
        )

    def handle(self, *args, expect_head: str | None = None, **options) -> None:
        problem = next(history.verify(), None)
        if problem is not None:
            raise CommandError(
                _("History chain broken at entry %(seq)d: %(problem)s.")
                % {"seq": problem.seq, "problem": problem.message}
            )
        if expect_head and not HistoryEntry.objects.filter(hash=expect_head).exists():
            raise CommandError(
                _("The chain no longer contains the head %(hash)s: it was rewritten.")
                % {"hash": expect_head}
            )
        witnessed = HeadTimestamp.objects.order_by("-seq").first()
        problems = head_witness_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                ngettext(
                    "%(count)d timestamp of the history no longer vouches for it.",
                    "%(count)d timestamps of the history no longer vouch for it.",
                    len(problems),
                )
                % {"count": len(problems)}
            )
        count = HistoryEntry.objects.count()
        verified = ngettext(
            "History verified: %(count)d entry, head %(hash)s.",
            "History verified: %(count)d entries, head %(hash)s.",
            count,
        )
        self.stdout.write(
            self.style.SUCCESS(verified % {"count": count, "hash": history.head_hash()})
        )
        if witnessed is not None:
            self.stdout.write(
                _(
                    "Witnessed from outside: entry %(seq)d had the hash %(hash)s on %(date)s "
                    "(%(authority)s)."
                )
                % {
                    "seq": witnessed.seq,
                    "hash": witnessed.hash,
                    "date": f"{witnessed.stamped_at:%Y-%m-%d %H:%M:%S} UTC",
                    "authority": witnessed.authority,
                }
            )
