"""Evidence items, their files, and their links to claims."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.models import Claim
from core import history, panels
from core.csv_export import csv_response
from core.forms import apply_validation_error
from core.links import absolute_url
from core.pagination import paginate
from core.storage import open_stream, signed_link, stream
from evidence import selectors, services
from evidence.forms import EvidenceForm, LinkForm, ReviewForm
from evidence.models import CustodyAction, EvidenceItem, EvidenceLink, IntegrityCheck, Relation
from evidence.selectors import metadata_rows, suggestions
from evidence.services import DuplicateEvidence
from investigations.access import (
    can_edit,
    current_investigation,
    list_params,
    list_query,
    record_or_404,
    role_required,
    scoped,
)
from investigations.audit import download_logged, export_logged
from investigations.models import Role


@role_required(Role.VIEWER)
def evidence_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.evidence_list(list_params(request), request.user)
    page = paginate(request, filterset.qs)
    claim = None
    if filterset.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data["claim"]:
        claim = scoped(Claim.objects, request.user).filter(pk=filterset.form.cleaned_data["claim"])
        claim = claim.first()
    return render(
        request,
        "evidence/evidence_list.html",
        {
            "filter": filterset,
            "page": page,
            "linked_claim": claim,
            "q": request.GET.get("q", ""),
            # What "Save this search" keeps: the filters as applied.
            "save_target": "evidence",
            "save_query": list_query(request),
        },
    )


@role_required(Role.VIEWER)
def evidence_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    params = list_params(request)
    filterset = selectors.evidence_list(params, request.user)
    export_logged(request, what=_("evidence list as CSV"), params=params)
    columns = [
        "uuid",
        "id",
        "kind",
        "title",
        "provider",
        "captured_from",
        "captured_to",
        "published",
        "location",
        "latitude",
        "longitude",
        "review_status",
        "sha256",
        "size",
        "media_type",
        "claims",
        "url",
    ]

    def rows():
        for item in filterset.qs.iterator(chunk_size=500):
            start, end = item.captured
            yield [
                item.uuid,
                item.pk,
                item.get_kind_display(),
                item.title,
                item.provider.name if item.provider else "",
                start.isoformat() if start else "",
                end.isoformat() if end else "",
                item.published.isoformat() if item.published else "",
                item.location_name,
                item.latitude if item.latitude is not None else "",
                item.longitude if item.longitude is not None else "",
                item.get_review_status_display(),
                item.sha256,
                item.size_bytes or "",
                item.media_type,
                item.link_count,
                absolute_url(reverse("evidence:evidence_detail", args=[item.pk])),
            ]

    return csv_response("evidence.csv", columns, rows())


@role_required(Role.VIEWER)
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.evidence_detail(pk, request.user)
    links = list(item.links.all())
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "item": item,
            "can_edit": can_edit(request.user, item.investigation),
            "processing_stale": services.processing_stale(item),
            "looks_like": selectors.evidence_looks_like(item),
            "suggestions": suggestions(item),
            "metadata": metadata_rows(item),
            "history": history.for_page(evidence_id=pk)[:10],
            "panels": panels.for_page("evidence", request, item),
            "supports": [link for link in links if link.relation == Relation.SUPPORTS],
            "contradicts": [link for link in links if link.relation == Relation.CONTRADICTS],
            "context": [link for link in links if link.relation == Relation.CONTEXT],
        },
    )


@role_required(Role.RESEARCHER)
def evidence_create(request: HttpRequest) -> HttpResponse:
    """A new item; with ?claim=<id> it is linked to that claim in the same step."""
    claim = None
    claim_id = request.GET.get("claim") or request.POST.get("claim")
    if claim_id:
        if not str(claim_id).isdigit():
            raise Http404
        claim = record_or_404(Claim.objects, request.user, pk=claim_id, needed=Role.RESEARCHER)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        current=current_investigation(request),
        fixed=claim.investigation if claim else None,
    )
    link_form = LinkForm(request.POST or None, prefix="link") if claim else None
    duplicate = None
    if request.method == "POST" and form.is_valid() and (link_form is None or link_form.is_valid()):
        upload = form.cleaned_data.get("file")
        try:
            with transaction.atomic():
                item = services.evidence_create(
                    investigation=form.investigation,
                    by=request.user,
                    file=upload,
                    original_filename=upload.name if upload else "",
                    upload=form.cleaned_data.get("upload"),
                    **form.evidence_data(),
                )
                if claim:
                    link = services.evidence_link_create(
                        claim=claim,
                        evidence=item,
                        by=request.user,
                        **link_form.cleaned_data,
                    )
        except DuplicateEvidence as error:
            duplicate = error.existing
            apply_validation_error(form, error)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if claim:
                messages.success(
                    request,
                    _("Evidence added and linked as %(relation)s.")
                    % {"relation": link.get_relation_display().lower()},
                )
                return redirect("claims:claim_detail", pk=claim.pk)
            messages.success(request, _("Evidence added. It is pending review."))
            return redirect("evidence:evidence_detail", pk=item.pk)
    return render(
        request,
        "evidence/evidence_form.html",
        {
            "form": form,
            "link_form": link_form,
            "claim": claim,
            "item": None,
            "duplicate": duplicate,
            "duplicate_linked": duplicate is not None
            and claim is not None
            and EvidenceLink.objects.filter(claim=claim, evidence=duplicate).exists(),
        },
    )


@role_required(Role.RESEARCHER)
def evidence_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = record_or_404(EvidenceItem.objects, request.user, pk=pk, needed=Role.RESEARCHER)
    form = EvidenceForm(request.POST or None, instance=item)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and form.write(
            lambda: services.evidence_update(
                item=item,
                data=form.evidence_data(),
                by=request.user,
                expected_version=form.expected_version,
            )
        )
    )
    if saved:
        messages.success(request, _("Evidence saved."))
        return redirect("evidence:evidence_detail", pk=item.pk)
    return render(
        request, "evidence/evidence_form.html", {"form": form, "item": item, "claim": None}
    )


# A served file runs nothing, loads nothing, and is never framed.
FILE_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
)


def _safe_headers(response, media_type: str) -> None:
    # Never let a browser guess a type, and never let a served file run anything.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private, no-store"


def _preview(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    item = record_or_404(EvidenceItem.objects, request.user, pk=pk)
    stored = getattr(item, field)
    if not stored:
        raise Http404
    try:
        with stream(stored.storage, stored.name) as handle:
            data = handle.read()  # a preview: a few hundred kB at most
    except FileNotFoundError:
        raise Http404 from None
    # Previews are always JPEGs the intake made itself.
    response = HttpResponse(data, content_type="image/jpeg")
    _safe_headers(response, "image/jpeg")
    return response


@role_required(Role.VIEWER)
def evidence_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return _preview(request, pk, "thumbnail")


@role_required(Role.VIEWER)
def evidence_preview(request: HttpRequest, pk: int) -> FileResponse:
    return _preview(request, pk, "preview")


@role_required(Role.VIEWER)
def evidence_strip(request: HttpRequest, pk: int) -> FileResponse:
    return _preview(request, pk, "keyframe_strip")


CHUNK = 1024 * 1024


def _hashed_stream(handle, item: EvidenceItem, user) -> Iterator[bytes]:
    """Send the file in chunks; once all of it has gone, log the download in the custody
    log with the hash of exactly the bytes sent."""
    digest, sent, complete = hashlib.sha256(), 0, False
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            sent += len(chunk)
            yield chunk
        complete = True
    finally:
        handle.close()
    if complete:
        actual = digest.hexdigest()
        services.custody_record(
            item=item,
            action=CustodyAction.DOWNLOADED,
            by=user,
            sha256=actual,
            detail=f"{sent} bytes"
            + ("" if actual == item.sha256 else " — DIFFERS FROM THE HASH RECORDED AT INTAKE"),
        )


@role_required(Role.VIEWER)
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The original, byte for byte, always as a download: streamed through here after the
    permission check, or (from an object store) a link signed for at most a minute. The
    custody log records the download either way."""
    item = record_or_404(EvidenceItem.objects, request.user, pk=pk)
    if not item.file:
        raise Http404
    # Only accepted types are ever stored, so the detected type is a safe one to name.
    media_type = item.media_type or "application/octet-stream"
    name = item.original_filename or f"evidence-{item.uuid}"
    download_logged(
        request,
        what=_("original of evidence #%(pk)s (%(name)s)") % {"pk": item.pk, "name": name},
        investigation=item.investigation,
    )
    disposition = content_disposition_header(True, name)
    storage = item.file.storage
    if settings.EVIDENCE_DOWNLOAD_REDIRECT:
        link = signed_link(
            storage, item.file.name, filename_header=disposition, content_type=media_type
        )
        if link is not None:
            services.custody_record(
                item=item,
                action=CustodyAction.DOWNLOADED,
                by=request.user,
                detail=_("a link to the object store, valid for %(s)s s")
                % {"s": storage.querystring_expire},
            )
            response = redirect(link)
            response["Cache-Control"] = "no-store"
            return response
    try:
        handle = open_stream(storage, item.file.name)
    except FileNotFoundError:
        raise Http404 from None
    response = StreamingHttpResponse(
        _hashed_stream(handle, item, request.user), content_type=media_type
    )
    response["Content-Disposition"] = disposition
    response["Content-Length"] = str(item.size_bytes or item.file.size)
    _safe_headers(response, media_type)
    return response


@require_POST
@role_required(Role.RESEARCHER)
def evidence_accept_suggestion(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Take a value the file's metadata suggests: EXIF coordinates or capture date."""
    item = record_or_404(EvidenceItem.objects, request.user, pk=pk, needed=Role.RESEARCHER)
    try:
        services.evidence_suggestion_accept(item=item, what=what, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Suggestion accepted."))
    return redirect("evidence:evidence_detail", pk=pk)


@require_GET
@role_required(Role.VIEWER)
def evidence_processing(request: HttpRequest, pk: int) -> JsonResponse:
    """Where the work on the item's file stands, for its page to update itself."""
    item = record_or_404(EvidenceItem.objects.only("pk", "investigation_id"), request.user, pk=pk)
    item = EvidenceItem.objects.only("processing", "processing_error", "processing_changed").get(
        pk=item.pk
    )
    response = JsonResponse(
        {
            "state": item.processing,
            "label": item.get_processing_display(),
            "reason": item.processing_error,
            "retry": services.processing_stale(item) or item.processing == "failed",
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.RESEARCHER)
def evidence_processing_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the work on the file again, after a failure or a lost task."""
    item = record_or_404(EvidenceItem.objects, request.user, pk=pk, needed=Role.RESEARCHER)
    try:
        services.evidence_processing_retry(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is queued for processing again."))
    return redirect("evidence:evidence_detail", pk=pk)


# Links -------------------------------------------------------------------------------------


def _link(request: HttpRequest, pk: int) -> EvidenceLink:
    links = EvidenceLink.objects.select_related("claim", "evidence")
    return record_or_404(
        links, request.user, pk=pk, through="claim__investigation", needed=Role.RESEARCHER
    )


@role_required(Role.RESEARCHER)
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an existing item of the claim's investigation to the claim, picked by search."""
    claim = record_or_404(Claim.objects, request.user, pk=pk, needed=Role.RESEARCHER)
    query = request.GET.get("q", "").strip()
    form = LinkForm(request.POST or None)
    chosen = None
    if request.method == "POST":
        chosen_id = request.POST.get("evidence", "")
        candidates = EvidenceItem.objects.filter(investigation=claim.investigation_id)
        chosen = candidates.filter(pk=chosen_id).first() if chosen_id.isdigit() else None
        if chosen is None:
            form.add_error(None, _("Choose the evidence item to link."))
        elif form.is_valid():
            try:
                link = services.evidence_link_create(
                    claim=claim, evidence=chosen, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("“%(title)s” linked as %(relation)s.")
                    % {"title": chosen.title, "relation": link.get_relation_display().lower()},
                )
                return redirect("claims:claim_detail", pk=claim.pk)
    return render(
        request,
        "evidence/link_form.html",
        {
            "claim": claim,
            "form": form,
            "query": query,
            "candidates": selectors.evidence_picker(claim=claim, query=query),
            "chosen": chosen,
        },
    )


@role_required(Role.RESEARCHER)
def link_update(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    form = LinkForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        services.evidence_link_update(link=link, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Link updated."))
        return redirect("claims:claim_detail", pk=link.claim_id)
    return render(request, "evidence/link_edit.html", {"form": form, "link": link})


@require_http_methods(["GET", "POST"])
@role_required(Role.RESEARCHER)
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    if request.method == "POST":
        services.evidence_link_delete(link=link, by=request.user)
        messages.success(
            request, _("“%(title)s” unlinked from the claim.") % {"title": link.evidence.title}
        )
        return redirect("claims:claim_detail", pk=link.claim_id)
    return render(request, "evidence/link_confirm_delete.html", {"link": link})


# Review ------------------------------------------------------------------------------------

REVIEW_PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
def integrity(request: HttpRequest) -> HttpResponse:
    """Staff: the re-hashing of every stored original, latest first, and "Check now"."""
    if not request.user.is_staff:
        raise PermissionDenied(_("Only staff can see the integrity checks."))
    if request.method == "POST":
        services.evidence_verify_request(by=request.user)
        messages.success(
            request, _("The check has started; reload this page to see it when it is done.")
        )
        return redirect("evidence:integrity")
    page = paginate(request, IntegrityCheck.objects.select_related("started_by"), per_page=20)
    # Titles only of items the staff member may see: the others stay compartmentalised.
    visible = set(
        scoped(EvidenceItem.objects, request.user)
        .filter(pk__in=[p["item"] for check in page.object_list for p in check.problems])
        .values_list("pk", flat=True)
    )
    return render(request, "evidence/integrity.html", {"page": page, "visible": visible})


@require_http_methods(["GET", "POST"])
@role_required(Role.REVIEWER)
def review_queue(request: HttpRequest) -> HttpResponse:
    """The reviewers' queue; a decision is posted for one item at a time."""
    forms_by_item: dict[int, ReviewForm] = {}
    if request.method == "POST":
        item = record_or_404(
            EvidenceItem.objects.select_related("created_by", "investigation"),
            request.user,
            pk=request.POST.get("item") if str(request.POST.get("item", "")).isdigit() else 0,
            needed=Role.REVIEWER,
        )
        form = ReviewForm(request.POST, prefix=f"review-{item.pk}")
        if form.is_valid():
            try:
                services.evidence_review(
                    item=item,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    authenticity=form.cleaned_data["authenticity"],
                )
            except ValidationError as error:
                apply_validation_error(form, _review_errors(error))
            else:
                messages.success(
                    request,
                    _("“%(title)s”: %(decision)s.")
                    % {"title": item.title, "decision": item.get_review_status_display().lower()},
                )
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        reasons = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(
            request,
            _("“%(title)s” was not reviewed: %(reasons)s")
            % {"title": item.title, "reasons": reasons},
        )
        forms_by_item[item.pk] = form
    page = paginate(request, selectors.review_queue(request.user), per_page=REVIEW_PAGE_SIZE)
    rows = [
        (
            item,
            forms_by_item.get(item.pk) or ReviewForm(prefix=f"review-{item.pk}"),
            item.created_by_id == request.user.pk,
        )
        for item in page.object_list
    ]
    return render(request, "evidence/review_queue.html", {"page": page, "rows": rows})


def _review_errors(error: ValidationError) -> ValidationError:
    """The service names model fields; the form calls them status and note."""
    names = {"review_status": "status", "review_note": "note"}
    return ValidationError(
        {names.get(field, field): messages_ for field, messages_ in error.message_dict.items()}
    )
