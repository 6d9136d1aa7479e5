"""Server-side permission checks for every view.

Login is enforced for every page by LoginRequiredMiddleware; these decide what a logged-in
user may see or do. A user in neither group gets 403 everywhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perm(request: HttpRequest, *perms: str) -> None:
    if not request.user.has_perms(perms):
        raise PermissionDenied("You do not have permission to do this.")


def permission_required(*perms: str) -> Callable:
    """Refuse with 403 unless the user holds every one of `perms`."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            require_perm(request, *perms)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
