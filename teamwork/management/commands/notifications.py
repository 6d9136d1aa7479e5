"""`manage.py notifications`: the notification work the scheduler does, for a site that
runs cron instead (or to catch up by hand)."""

from django.core.management.base import BaseCommand

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
        self.stdout.write(f"Read {read} history entries; {told} saved searches had new matches.")
        if options["mail"]:
            self.stdout.write(f"Sent {mail.mail_due()} messages of notifications due.")
        if options["digest"]:
            self.stdout.write(f"Sent {mail.mail_digests()} daily digests.")
