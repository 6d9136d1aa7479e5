from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.accounts import user_named
from investigations import services
from investigations.models import Investigation, Role
from investigations.selectors import investigation_named


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages).replace("\n", " ")


class Command(BaseCommand):
    help = (
        "Manage investigations: create SLUG --name NAME, add-member SLUG USERNAME --role "
        "ROLE (also changes a member's role), remove-member SLUG USERNAME, list."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create an investigation")
        create.add_argument("slug", help="its short name, e.g. ukraine-2014")
        create.add_argument("--name", required=True)
        create.add_argument("--description", default="")
        add = actions.add_parser("add-member", help="add a member, or change their role")
        add.add_argument("slug")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        remove = actions.add_parser("remove-member", help="remove a member")
        remove.add_argument("slug")
        remove.add_argument("username")
        actions.add_parser("list", help="every investigation with its members")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except ValidationError as error:
            raise CommandError(_refusal(error)) from None

    def create(self, *, slug: str, name: str, description: str, **options) -> None:
        investigation = services.investigation_create(
            name=name, slug=slug, description=description, by=None
        )
        self.stdout.write(
            _("Created “%(name)s” (%(slug)s).")
            % {"name": investigation.name, "slug": investigation.slug}
        )

    def add_member(self, *, slug: str, username: str, role: str, **options) -> None:
        investigation = investigation_named(slug)
        user = user_named(username)
        services.membership_set(investigation=investigation, user=user, role=role, by=None)
        self.stdout.write(
            _("%(username)s is %(role)s in %(slug)s.")
            % {"username": username, "role": Role(role).label.lower(), "slug": investigation.slug}
        )

    def remove_member(self, *, slug: str, username: str, **options) -> None:
        investigation = investigation_named(slug)
        user = user_named(username)
        services.membership_remove(investigation=investigation, user=user, by=None)
        self.stdout.write(
            _("%(username)s is no longer a member of %(slug)s.")
            % {"username": username, "slug": investigation.slug}
        )

    def list(self, **options) -> None:
        investigations = Investigation.objects.prefetch_related("memberships__user")
        for investigation in investigations:
            members = ", ".join(
                f"{m.user.username} ({m.get_role_display().lower()})"
                for m in investigation.memberships.all()
            )
            line = (
                _("%(slug)s [archived]: %(name)s — %(members)s")
                if investigation.is_archived
                else _("%(slug)s: %(name)s — %(members)s")
            )
            self.stdout.write(
                line
                % {
                    "slug": investigation.slug,
                    "name": investigation.name,
                    "members": members or _("no members"),
                }
            )
        if not investigations:
            self.stdout.write(_("No investigations yet."))
