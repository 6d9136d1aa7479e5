from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from demo.case import load_demo

# The kinds of record demo.case counts, for people.
KINDS = {
    "claimants": ngettext_lazy("%(count)d claimant", "%(count)d claimants", "count"),
    "claims": ngettext_lazy("%(count)d claim", "%(count)d claims", "count"),
    "sources": ngettext_lazy("%(count)d source", "%(count)d sources", "count"),
    "attributions": ngettext_lazy("%(count)d attribution", "%(count)d attributions", "count"),
    "denials": ngettext_lazy("%(count)d denial", "%(count)d denials", "count"),
    "evidence items": ngettext_lazy("%(count)d evidence item", "%(count)d evidence items", "count"),
    "evidence links": ngettext_lazy("%(count)d evidence link", "%(count)d evidence links", "count"),
}


class Command(BaseCommand):
    help = "Load the demo case (NATO, Ukraine, Russia, 2014). Running it again changes nothing."

    def handle(self, *args, **options) -> None:
        report = load_demo()
        if report.total_created == 0:
            self.stdout.write(_("Demo case already loaded; nothing changed."))
            return
        made = ", ".join(KINDS[kind] % {"count": n} for kind, n in report.created.items())
        self.stdout.write(
            self.style.SUCCESS(_("Demo case loaded: created %(made)s.") % {"made": made})
        )
