from django.core.management.base import BaseCommand

from demo.case import load_demo


class Command(BaseCommand):
    help = "Load the demo case (NATO, Ukraine, Russia, 2014). Running it again changes nothing."

    def handle(self, *args, **options) -> None:
        report = load_demo()
        if report.total_created == 0:
            self.stdout.write("Demo case already loaded; nothing changed.")
            return
        made = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo case loaded: created {made}."))
