"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by OIDC_* settings.

Accounts are matched by a claim (OIDC_USERNAME_CLAIM, `preferred_username` by default),
made on first sign-in without a usable password, and made staff (or not) at every sign-in
from a group claim (OIDC_GROUPS_CLAIM holding OIDC_STAFF_GROUP).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.signals import METHOD_ATTR


class OrganisationBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            setattr(request, METHOD_ATTR, f"single sign-on ({settings.OIDC_NAME})")
        return user

    def _username(self, claims) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()[:150]

    def verify_claims(self, claims) -> bool:
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self._username(claims))

    def describe_user_by_claims(self, claims) -> str:
        return f"username {self._username(claims)}"

    def create_user(self, claims):
        user = self.UserModel(username=self._username(claims), email=claims.get("email") or "")
        user.set_unusable_password()
        user.save()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if not user.is_active:
            raise SuspiciousOperation("the account is deactivated")
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        staff = bool(settings.OIDC_STAFF_GROUP) and settings.OIDC_STAFF_GROUP in groups
        email = claims.get("email") or user.email
        if (user.is_staff, user.email) != (staff, email):
            user.is_staff, user.email = staff, email
            user.save(update_fields=["is_staff", "email"])
        return user


def _only_when_enabled(view):
    """Single sign-on's pages answer 404 unless it is configured; they are open to people
    not signed in yet."""
    from functools import wraps

    from django.contrib.auth.decorators import login_not_required
    from django.http import Http404

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def urlpatterns():
    from django.urls import path
    from mozilla_django_oidc import views

    return [
        path(
            "callback/",
            _only_when_enabled(views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
        path(
            "authenticate/",
            _only_when_enabled(views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
    ]
