"""A claim's dossier on the web, and the ZIP of dossiers for the claim list's selection."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from assessment import selectors
from dossiers import export
from dossiers.build import build as build_dossier
from investigations.access import list_params, role_required
from investigations.models import Role

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

    Approved evidence only, unless ?unreviewed=1 asks for pending items too.
    """
    dossier = build_dossier(
        pk, include_unreviewed=_wants_unreviewed(request), exported_by=request.user
    )
    name = f"{dossier.file_stem}.{fmt}"
    if fmt == "zip":
        stream = export.stream_zip(
            export.dossier_members(dossier),
            on_complete=lambda: export.record_export(dossier, user=request.user, what="ZIP"),
        )
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
    return _attachment(response, name, inline=fmt in ("html", "pdf"))


@role_required(Role.VIEWER)
def claim_list_dossiers(request: HttpRequest) -> StreamingHttpResponse:
    """A ZIP of the dossiers of the claim list's filtered selection, streamed."""
    filterset = selectors.claim_list(list_params(request), request.user)
    pks = list(filterset.qs.values_list("pk", flat=True))
    include = _wants_unreviewed(request)

    def members():
        # One dossier at a time: only the current claim's pages are ever in memory.
        for pk in pks:
            dossier = build_dossier(pk, include_unreviewed=include, exported_by=request.user)
            yield from export.dossier_members(dossier, prefix=f"{dossier.file_stem}/")
            export.record_export(dossier, user=request.user, what="ZIP of dossiers")

    response = StreamingHttpResponse(export.stream_zip(members()), content_type="application/zip")
    return _attachment(response, "dossiers.zip")
