"""What every page may offer the user: adding records (researcher somewhere), the review
queue (reviewer somewhere), and the investigation switcher. All of it from the memberships
the request reads once."""

from investigations.access import current_place, places_of, visible_ids
from investigations.models import Role


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_add": bool(visible_ids(user, at_least=Role.RESEARCHER)),
        "may_review": bool(visible_ids(user, at_least=Role.REVIEWER)),
        # Leads read their investigations' part of the security log.
        "leads_somewhere": bool(visible_ids(user, at_least=Role.LEAD)),
        # The header's switcher: the user's investigations and the one they work in.
        "my_places": places_of(user),
        "current_place": current_place(request),
    }
