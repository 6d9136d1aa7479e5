import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from demo.case import demo_investigation
from investigations.models import Role
from investigations.services import membership_set

USERNAME = "demo"


class Command(BaseCommand):
    help = (
        "Create the local demo account (lead of the demo case, with admin access) if there "
        "is none, and print how to sign in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the site is served."
        )

    @transaction.atomic
    def handle(self, *args, url: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                _(
                    "Sign in at %(url)s as “%(username)s” with the password printed when the "
                    "account was created (set a new one: python manage.py changepassword "
                    "%(username)s)."
                )
                % {"url": url, "username": USERNAME}
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=USERNAME, password=password, is_staff=True, is_superuser=True
        )
        user.groups.set(Group.objects.filter(name__in=["Researchers", "Reviewers"]))
        # The demo case's lead (the case is loaded first, by make run).
        membership_set(investigation=demo_investigation(), user=user, role=Role.LEAD, by=None)
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the local demo account. Sign in at %(url)s") % {"url": url}
                + "\n  "
                + _("username: %(username)s") % {"username": USERNAME}
                + "\n  "
                + _("password: %(password)s") % {"password": password}
            )
        )
