"""What every page may offer the user: adding records (researcher somewhere) and the review
queue (reviewer somewhere). Read from the memberships the request already loaded."""

from investigations.access import visible_ids
from investigations.models import Role


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_add": bool(visible_ids(user, at_least=Role.RESEARCHER)),
        "may_review": bool(visible_ids(user, at_least=Role.REVIEWER)),
    }
