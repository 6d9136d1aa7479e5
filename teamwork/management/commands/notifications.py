"""`manage.py notifications`: the notification work the scheduler does, for a site that
runs cron instead (or to catch up by hand)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from teamwork import fanout, mail


class Command(BaseCommand):
    help = (
        "Tell watchers of recent changes and run saved-search alerts; with --mail, send "
        "the mail that is due; with --digest, send the daily digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mail", action="store_true", help="Send mail that is due.")
        parser.add_argument("--digest", action="store_true", help="Send the daily digests.")

    def handle(self, *args, **options):
        read = fanout.fan_out()
        told = fanout.run_alerts()
        self.stdout.write(
            _("History entries read: %(read)d; saved searches with new matches: %(told)d.")
            % {"read": read, "told": told}
        )
        if options["mail"]:
            self.stdout.write(
                _("Notification messages sent: %(count)d.") % {"count": mail.mail_due()}
            )
        if options["digest"]:
            self.stdout.write(_("Daily digests sent: %(count)d.") % {"count": mail.mail_digests()})
