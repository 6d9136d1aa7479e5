from teamwork.selectors import unread_count


def inbox(request) -> dict:
    """The unread count in the header (one query a page, for people signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
