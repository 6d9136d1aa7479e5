"""Making, using and revoking scoped API tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import EventKind
from accounts.services import security_event
from api.models import PREFIX, ScopedToken, key_hash, new_key
from core.services import validated_save
from investigations.access import SCOPE_ATTR, Place, places_of, role_in
from investigations.models import Investigation, Role


@transaction.atomic
def token_create(
    *, by, name: str, investigation: Investigation, writable: bool, request=None
) -> tuple[ScopedToken, str]:
    """A token for `by` in one of their investigations; returns it and its key, which is
    never shown again. A read-write token needs the researcher role there."""
    role = role_in(by, investigation.pk)
    if role is None:
        raise ValidationError({"investigation": _("Choose one of your investigations.")})
    if writable and not role.allows(Role.RESEARCHER):
        raise PermissionDenied(_("Your role there is read-only: make a read-only token."))
    key = new_key()
    token = ScopedToken(
        user=by,
        name=name.strip(),
        investigation=investigation,
        writable=writable,
        key_hash=key_hash(key),
    )
    validated_save(token)
    security_event(
        EventKind.TOKEN_CREATED,
        request=request,
        actor=by,
        investigation=investigation,
        detail=f"“{token.name}”, {'read and write' if writable else 'read only'}",
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ScopedToken, by, request=None) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied(_("Only its owner revokes a token."))
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked", "updated"])
        security_event(
            EventKind.TOKEN_REVOKED,
            request=request,
            actor=by,
            investigation=token.investigation,
            detail=f"“{token.name}”",
        )


@transaction.atomic
def personal_token_revoke(*, user, by, request=None) -> bool:
    """Revoke the user's personal token (the one /api/v1/token/ hands out), if any."""
    if user.pk != by.pk:
        raise PermissionDenied(_("Only its owner revokes a token."))
    count, _rows = Token.objects.filter(user=user).delete()
    if count:
        security_event(
            EventKind.TOKEN_REVOKED, request=request, actor=by, detail=_("personal API token")
        )
    return bool(count)


def scope_to(user, token: ScopedToken) -> None:
    """From now on, in this request, `user` is a member of the token's investigation only,
    and a viewer there unless the token may write."""
    allowed = [place for place in places_of(user) if place.id == token.investigation_id]
    if not token.writable:
        allowed = [Place(p.id, p.slug, p.name, Role.VIEWER, p.archived) for p in allowed]
    setattr(user, SCOPE_ATTR, allowed)


class ScopedTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token cs_...` for a scoped token; any other key is the user's own
    token, with all of their memberships."""

    def authenticate_credentials(self, key):
        if not key.startswith(PREFIX):
            return super().authenticate_credentials(key)
        token = (
            ScopedToken.objects.select_related("user")
            .filter(key_hash=key_hash(key), revoked__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        ScopedToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
        scope_to(token.user, token)
        return token.user, token
