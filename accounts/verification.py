"""Whether this request's session passed two-factor sign-in, for the layers above (an
investigation that requires it asks here)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

# Set on request.user by AccountSecurityMiddleware. A user object that never went through
# a web session (a command, a task, an API token) has no such attribute: nothing to ask.
VERIFIED_ATTR = "two_factor_verified"


def session_verified(user) -> bool:
    return getattr(user, VERIFIED_ATTR, True)


class TwoFactorRequired(PermissionDenied):
    """Raised where a page needs a session that passed two-factor sign-in; the middleware
    sends the person to set it up (or to type a code) and back."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why
