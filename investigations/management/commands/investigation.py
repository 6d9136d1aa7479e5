from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from investigations import services
from investigations.models import Investigation, Role


def _investigation(slug: str) -> Investigation:
    found = Investigation.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"No investigation “{slug}” (see: manage.py investigation list).")
    return found


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
        self.stdout.write(f"Created “{investigation.name}” ({investigation.slug}).")

    def add_member(self, *, slug: str, username: str, role: str, **options) -> None:
        investigation = _investigation(slug)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        services.membership_set(investigation=investigation, user=user, role=role, by=None)
        self.stdout.write(f"{username} is {Role(role).label.lower()} in {investigation.slug}.")

    def remove_member(self, *, slug: str, username: str, **options) -> None:
        investigation = _investigation(slug)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        services.membership_remove(investigation=investigation, user=user, by=None)
        self.stdout.write(f"{username} is no longer a member of {investigation.slug}.")

    def list(self, **options) -> None:
        investigations = Investigation.objects.prefetch_related("memberships__user")
        for investigation in investigations:
            members = ", ".join(
                f"{m.user.username} ({m.get_role_display().lower()})"
                for m in investigation.memberships.all()
            )
            status = " [archived]" if investigation.is_archived else ""
            self.stdout.write(
                f"{investigation.slug}{status}: {investigation.name} — {members or 'no members'}"
            )
        if not investigations:
            self.stdout.write("No investigations yet.")
