"""POST /api/v1/token/: a personal token for a username and password (and a code where
two-factor sign-in is on), throttled like every other sign-in."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts.models import EventKind
from accounts.services import (
    security_event,
    two_factor_check,
    two_factor_enabled,
    two_factor_throttled,
)


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The code of the authenticator app, or a backup code (two-factor sign-in).",
    )


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()


class AuthToken(ObtainAuthToken):
    """POST `username` and `password` (and `otp`, the code, for an account with two-factor
    sign-in): the user's own token, with all of their memberships. Failures count towards
    the same lockout as the sign-in page; a locked-out client gets 429 and when to retry."""

    serializer_class = TokenRequest

    @extend_schema(request=TokenRequest, responses={200: TokenResponse})
    def post(self, request, *args, **kwargs):
        http = request._request  # the lockout is kept on Django's request
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request=http,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        if two_factor_enabled(user):
            code = given.validated_data.get("otp", "")
            if not code:
                raise exceptions.ValidationError(
                    {"otp": [_("This account uses two-factor sign-in: send its code as otp.")]}
                )
            if (
                two_factor_throttled(user)
                or two_factor_check(user=user, code=code, request=http) is None
            ):
                raise exceptions.ValidationError(
                    {"otp": [_("That code is not right, or was used already.")]}
                )
        token, made = Token.objects.get_or_create(user=user)
        security_event(
            EventKind.TOKEN_CREATED if made else EventKind.SIGN_IN,
            request=http,
            actor=user,
            detail=_("personal API token from /api/v1/token/"),
        )
        return Response({"token": token.key})
