"""The tokens page: a user makes a token bound to one of their investigations, read-only
or read-write, names it, sees it once, and revokes it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from api.models import ScopedToken
from api.tokens import personal_token_revoke, token_create, token_revoke
from core.forms import apply_validation_error
from investigations.selectors import investigations_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, e.g. “newsroom importer”."),
    )
    investigation = forms.ModelChoiceField(
        label=gettext_lazy("Investigation"), queryset=None, empty_label=None
    )
    writable = forms.TypedChoiceField(
        label=gettext_lazy("Access"),
        choices=[("", gettext_lazy("Read only")), ("1", gettext_lazy("Read and write"))],
        coerce=bool,
        required=False,
        empty_value=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigation"].queryset = investigations_of(user)


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = token_create(by=request.user, request=request, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error("writable", str(error))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Token “%(name)s” made.") % {"name": token.name})
            form = TokenForm(user=request.user)
    tokens = ScopedToken.objects.filter(user=request.user).select_related("investigation")
    personal = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "key": key, "personal": personal},
    )


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's token answers 404: tokens are private to their owner.
    token = get_object_or_404(ScopedToken, pk=pk, user=request.user)
    token_revoke(token=token, by=request.user, request=request)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tokens")


@require_POST
def personal_token_revoke_view(request: HttpRequest) -> HttpResponse:
    if personal_token_revoke(user=request.user, by=request.user, request=request):
        messages.success(request, _("Your personal token revoked."))
    return redirect("tokens")
