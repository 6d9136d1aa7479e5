"""A claim's dossier on the web, and the ZIP of dossiers for the claim list's selection.

Small dossiers are made in the request. A claim's PDF or ZIP with many evidence items, and
every ZIP of a selection, are prepared by a task: the request answers at once with a page
that follows the work and offers the file once it is ready (dossiers.services)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors
from claims.models import Claim
from core.pagination import paginate, total_of
from dossiers import export, services
from dossiers.build import build as build_dossier
from dossiers.models import DossierKind, PreparedDossier
from investigations.access import list_params, record_or_404, role_required
from investigations.models import Role
from proofs.keys import KeyUnavailable

_DOSSIER_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "zip": "application/zip",
}


def _wants_unreviewed(request: HttpRequest) -> bool:
    return request.GET.get("unreviewed", "").lower() in ("1", "true", "yes", "on")


def _attachment(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.VIEWER)
def claim_dossier(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The claim's dossier as HTML, PDF, JSON or a self-verifying ZIP bundle.

    Approved evidence only, unless ?unreviewed=1 asks for pending items too. A PDF or ZIP
    of more than DOSSIER_INLINE_MAX_ITEMS items is prepared in the background.
    """
    include = _wants_unreviewed(request)
    language = services.dossier_language(request.GET.get("language"))
    if fmt in ("pdf", "zip"):
        claim = record_or_404(
            Claim.objects.only("pk", "statement", "investigation"), request.user, pk=pk
        )
        if (
            services.included_count(pk, include_unreviewed=include)
            > settings.DOSSIER_INLINE_MAX_ITEMS
        ):
            prepared = services.dossier_request(
                by=request.user,
                kind=DossierKind.PDF if fmt == "pdf" else DossierKind.ZIP,
                claims=[claim],
                include_unreviewed=include,
                label=claim.statement,
                language=language,
            )
            return redirect("claims:prepared_dossier", uuid=prepared.uuid)
    with translation.override(language):
        return _dossier_response(request, pk, fmt, include)


def _dossier_response(request: HttpRequest, pk: int, fmt: str, include: bool) -> HttpResponse:
    """The dossier in the active language, as asked (the view chose the language)."""
    dossier = build_dossier(
        pk,
        include_unreviewed=include,
        exported_by=request.user,
        show_comments=request.GET.get("comments", "").lower() in ("1", "true", "yes", "on"),
    )
    name = f"{dossier.file_stem}.{fmt}"
    if fmt == "zip":
        try:
            stream = export.stream_zip(
                export.dossier_members(dossier),
                exported_by=request.user.get_username(),
                on_complete=lambda: export.record_export(dossier, user=request.user, what="ZIP"),
            )
        except KeyUnavailable as error:
            messages.error(request, str(error))
            return redirect("claims:claim_detail", pk=pk)
        return _attachment(StreamingHttpResponse(stream, content_type=_DOSSIER_TYPES[fmt]), name)
    try:
        body = {
            "html": lambda: export.render_html(dossier).encode(),
            "pdf": lambda: export.render_pdf(dossier),
            "json": lambda: export.render_json(dossier),
        }[fmt]()
    except export.PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect("claims:claim_detail", pk=pk)
    export.record_export(dossier, user=request.user, what=fmt.upper())
    response = HttpResponse(body, content_type=_DOSSIER_TYPES[fmt])
    if fmt == "html":
        response["Content-Security-Policy"] = export.html_policy(body.decode())
    return _attachment(response, name, inline=fmt in ("html", "pdf"))


@require_http_methods(["GET", "POST"])
@role_required(Role.VIEWER)
def claim_list_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers of the claim list's filtered selection, as one ZIP prepared in the
    background. GET shows what would be in it; POST fixes the selection and asks for it,
    and the page that follows shows the work."""
    params = list_params(request)
    filterset = selectors.claim_list(params, request.user)
    include = _wants_unreviewed(request)
    limit = settings.DOSSIER_SELECTION_MAX
    if request.method == "GET":
        return render(
            request,
            "dossiers/selection_confirm.html",
            {
                "count": total_of(filterset.qs),
                "limit": limit,
                "filters": _described(params),
                "include_unreviewed": include,
            },
        )
    claims = list(filterset.qs.only("pk", "investigation_id")[: limit + 1])
    shown = _described(params)
    label = services.describe_selection(len(claims)) + (f" ({shown})" if shown else "")
    try:
        prepared = services.dossier_request(
            by=request.user,
            kind=DossierKind.SELECTION,
            claims=claims,
            include_unreviewed=include,
            label=label,
            language=services.dossier_language(request.POST.get("language")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("claims:claim_list") + _query(request))
    return redirect("claims:prepared_dossier", uuid=prepared.uuid)


def _described(params) -> str:
    return ", ".join(f"{key}: {value}" for key, value in params.items() if key != "page" and value)


def _query(request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


# Prepared dossiers -------------------------------------------------------------------------


@role_required(Role.VIEWER)
def prepared_list(request: HttpRequest) -> HttpResponse:
    """The dossiers the user asked for, newest first."""
    mine = PreparedDossier.objects.filter(requested_by=request.user).defer("claims", "contents")
    return render(
        request,
        "dossiers/prepared_list.html",
        {"page": paginate(request, mine, per_page=25), "keep_days": settings.DOSSIER_KEEP_DAYS},
    )


@role_required(Role.VIEWER)
def prepared_dossier(request: HttpRequest, uuid) -> HttpResponse:
    prepared = services.dossier_for(request.user, uuid)
    return render(
        request,
        "dossiers/prepared_detail.html",
        {"prepared": prepared, "keep_days": settings.DOSSIER_KEEP_DAYS},
    )


@require_GET
@role_required(Role.VIEWER)
def prepared_status(request: HttpRequest, uuid) -> JsonResponse:
    prepared = services.dossier_for(request.user, uuid)
    response = JsonResponse(
        {"state": prepared.state, "label": prepared.get_state_display(), "reason": prepared.error}
    )
    response["Cache-Control"] = "no-store"
    return response


def _read_and_close(handle):
    try:
        yield from iter(lambda: handle.read(1024 * 1024), b"")
    finally:
        handle.close()


@require_GET
@role_required(Role.VIEWER)
def prepared_download(request: HttpRequest, uuid) -> HttpResponse:
    prepared = services.dossier_for(request.user, uuid)
    handle = services.dossier_open(
        prepared=prepared, by=request.user, link=settings.EVIDENCE_DOWNLOAD_REDIRECT
    )
    if isinstance(handle, str):  # a signed link to the object store
        response = redirect(handle)
        response["Cache-Control"] = "no-store"
        return response
    kind = "application/pdf" if prepared.kind == DossierKind.PDF else "application/zip"
    response = StreamingHttpResponse(_read_and_close(handle), content_type=kind)
    response["Content-Length"] = str(prepared.size_bytes)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(True, prepared.file_name)
    return response


@require_POST
@role_required(Role.VIEWER)
def prepared_retry(request: HttpRequest, uuid) -> HttpResponse:
    prepared = services.dossier_for(request.user, uuid)
    try:
        services.dossier_retry(prepared=prepared, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The dossier is queued again."))
    return redirect("claims:prepared_dossier", uuid=prepared.uuid)
