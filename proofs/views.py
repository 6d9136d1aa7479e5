"""The instance's public keys, for anyone checking a dossier (the one page besides sign-in
that needs no account: a public key proves nothing to whoever holds it), and the staff's
page of keys and history timestamps."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.pagination import paginate
from proofs.keys import KeyUnavailable, current_key, keys_url, published
from proofs.models import HeadTimestamp, SigningKey


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def signing_keys(request: HttpRequest) -> JsonResponse:
    """Every key this instance signs or signed dossiers with, with its period of use."""
    return JsonResponse(published(), json_dumps_params={"indent": 2})


@require_GET
def proofs_page(request: HttpRequest) -> HttpResponse:
    """Staff: the signing key's fingerprint (to publish and to read out to whoever checks a
    dossier), every earlier key, and the history's timestamps."""
    if not request.user.is_staff:
        raise PermissionDenied(_("Only staff can see the signing keys."))
    try:
        key, problem = current_key(), ""
    except KeyUnavailable as error:
        key, problem = None, str(error)
    page = paginate(request, HeadTimestamp.objects.defer("token"), per_page=20)
    return render(
        request,
        "proofs/proofs.html",
        {
            "section": "proofs",
            "key": key,
            "problem": problem,
            "keys": SigningKey.objects.order_by("valid_from"),
            "page": page,
            "keys_url": keys_url(),
            "timestamp_url": settings.TIMESTAMP_URL,
        },
    )
