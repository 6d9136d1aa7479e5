"""The researchers' workbench for claims, claimants and denials.

Views fetch through selectors, check permissions on the server, bind forms, call services
and redirect with a message (post/redirect/get).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import csv_import, export, selectors, services
from claims.balance import balance, flags
from claims.dossier import absolute
from claims.dossier import build as build_dossier
from claims.forms import (
    AttributionFormSet,
    ClaimantForm,
    ClaimForm,
    DenialForm,
    SourceFormSet,
    statement_choices,
)
from claims.models import Claim, Claimant, Denial, Tag
from corroborate import history
from corroborate.access import permission_required
from corroborate.csv_export import csv_response
from corroborate.forms import apply_validation_error, formset_actions
from corroborate.pagination import paginate
from corroborate.services import EditConflict
from evidence.models import Relation
from evidence.services import can_review

# Claims ------------------------------------------------------------------------------------


@permission_required("claims.view_claim")
def claim_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.claim_list(request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "claims/claim_list.html",
        {"filter": filterset, "page": page, "filtered": filterset.is_bound},
    )


@permission_required("claims.view_claim")
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_detail(pk)
    links = list(claim.evidence_links.all())
    weighed = balance(links)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "balance": weighed,
            "flags": flags(claim, links, weighed),
            "supporting": [link for link in links if link.relation == Relation.SUPPORTS],
            "contradicting": [link for link in links if link.relation == Relation.CONTRADICTS],
            "context": [link for link in links if link.relation == Relation.CONTEXT],
            "timeline": selectors.claim_timeline(claim),
            "can_review": can_review(request.user),
            "history": history.for_page(claim_id=pk)[:10],
            "dossier_formats": [
                ("zip", "ZIP bundle"),
                ("pdf", "PDF"),
                ("html", "HTML"),
                ("json", "JSON"),
            ],
        },
    )


@permission_required("claims.view_claim")
def claim_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_detail(pk)
    return render(
        request,
        "claims/claim_timeline.html",
        {"claim": claim, "timeline": selectors.claim_timeline(claim)},
    )


def _save_claim_formsets(request, claim: Claim, sources, attributions) -> None:
    for action, form in formset_actions(sources):
        if action == "delete":
            services.source_delete(source=form.instance, by=request.user)
        elif action == "create":
            services.source_add(claim=claim, by=request.user, **form.cleaned_data_for_service())
        else:
            services.source_update(
                source=form.instance, data=form.cleaned_data_for_service(), by=request.user
            )
    for action, form in formset_actions(attributions):
        if action == "delete":
            services.attribution_delete(attribution=form.instance, by=request.user)
        elif action == "create":
            services.attribution_create(
                claim=claim, created_by=request.user, **form.attribution_data()
            )
        else:
            services.attribution_update(
                attribution=form.instance, data=form.attribution_data(), by=request.user
            )


def _claim_form_page(request, claim: Claim | None) -> HttpResponse:
    instance = claim or Claim()
    row_kwargs = {"claim": claim, "choices": statement_choices(claim)}
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=instance)
        sources = SourceFormSet(request.POST, instance=instance, prefix="sources")
        attributions = AttributionFormSet(
            request.POST, instance=instance, prefix="attributions", form_kwargs=row_kwargs
        )
        if form.is_valid() and sources.is_valid() and attributions.is_valid():
            try:
                with transaction.atomic():
                    if claim is None:
                        claim = services.claim_create(
                            created_by=request.user,
                            tags=form.cleaned_data["tags"],
                            **form.claim_data(),
                        )
                    else:
                        services.claim_update(
                            claim=claim,
                            by=request.user,
                            data=form.claim_data(),
                            expected_version=form.expected_version,
                        )
                        services.claim_set_tags(
                            claim=claim, names=form.cleaned_data["tags"], by=request.user
                        )
                    services.claim_set_related(
                        claim=claim, others=form.cleaned_data["related"], by=request.user
                    )
                    _save_claim_formsets(request, claim, sources, attributions)
            except EditConflict as conflict:
                form.report_conflict(selectors.claim_detail(conflict.current.pk))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Claim saved.") if instance.pk else _("Claim created."),
                )
                return redirect("claims:claim_detail", pk=claim.pk)
        messages.error(request, _("The claim was not saved: see the messages below."))
    else:
        form = ClaimForm(instance=instance)
        sources = SourceFormSet(instance=instance, prefix="sources")
        attributions = AttributionFormSet(
            instance=instance, prefix="attributions", form_kwargs=row_kwargs
        )
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "sources": sources,
            "attributions": attributions,
            "claim": claim,
            "tag_names": Tag.objects.order_by("name").values_list("name", flat=True),
        },
    )


@permission_required("claims.add_claim", "claims.add_source", "claims.add_attribution")
def claim_create(request: HttpRequest) -> HttpResponse:
    return _claim_form_page(request, None)


@permission_required("claims.change_claim", "claims.change_source", "claims.change_attribution")
def claim_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_form_page(request, get_object_or_404(Claim, pk=pk))


# Denials -----------------------------------------------------------------------------------


def _denial_form_page(request, claim: Claim, denial: Denial | None) -> HttpResponse:
    instance = denial or Denial(claim=claim)
    form = DenialForm(request.POST or None, instance=instance, claim=claim)
    if request.method == "POST" and form.is_valid():
        try:
            if denial is None:
                services.denial_create(claim=claim, created_by=request.user, **form.denial_data())
            else:
                services.denial_update(
                    denial=denial,
                    by=request.user,
                    data=form.denial_data(),
                    expected_version=form.expected_version,
                )
        except EditConflict as conflict:
            form.report_conflict(conflict.current)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Denial saved.") if denial else _("Denial added."))
            return redirect("claims:claim_detail", pk=claim.pk)
    return render(
        request, "claims/denial_form.html", {"form": form, "claim": claim, "denial": denial}
    )


@permission_required("claims.view_claim", "claims.add_denial")
def denial_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _denial_form_page(request, get_object_or_404(Claim, pk=pk), None)


@permission_required("claims.view_claim", "claims.change_denial")
def denial_update(request: HttpRequest, pk: int, denial_pk: int) -> HttpResponse:
    denial = get_object_or_404(Denial.objects.select_related("claim"), pk=denial_pk, claim_id=pk)
    return _denial_form_page(request, denial.claim, denial)


@require_http_methods(["GET", "POST"])
@permission_required("claims.view_claim", "claims.delete_denial")
def denial_delete(request: HttpRequest, pk: int, denial_pk: int) -> HttpResponse:
    denial = get_object_or_404(
        Denial.objects.select_related("claim", "claimant"), pk=denial_pk, claim_id=pk
    )
    if request.method == "POST":
        services.denial_delete(denial=denial, by=request.user)
        messages.success(request, _("Denial removed."))
        return redirect("claims:claim_detail", pk=pk)
    return render(request, "claims/denial_confirm_delete.html", {"denial": denial})


# Claimants ---------------------------------------------------------------------------------


@permission_required("claims.view_claimant")
def claimant_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.claimant_list(request.GET)
    page = paginate(request, filterset.qs)
    return render(request, "claims/claimant_list.html", {"filter": filterset, "page": page})


@permission_required("claims.view_claimant")
def claimant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claimant = selectors.claimant_detail(pk)
    attributions = list(claimant.attributions.all())
    return render(
        request,
        "claims/claimant_detail.html",
        {
            "claimant": claimant,
            "ancestors": claimant.ancestors(),
            "claimed": [a for a in attributions if a.role == "originator"],
            "endorsed": [a for a in attributions if a.role == "endorser"],
            "repeated": [a for a in attributions if a.role == "repeater"],
            "denials": claimant.denials.all(),
            "track_record": selectors.claimant_track_record(claimant),
            "history": history.for_page(claimant_id=pk)[:10],
        },
    )


def _claimant_form_page(request, claimant: Claimant | None) -> HttpResponse:
    form = ClaimantForm(request.POST or None, instance=claimant or Claimant())
    if request.method == "POST" and form.is_valid():
        try:
            if claimant is None:
                claimant = services.claimant_create(created_by=request.user, **form.claimant_data())
                messages.success(request, _("Claimant added."))
            else:
                services.claimant_update(
                    claimant=claimant,
                    by=request.user,
                    data=form.claimant_data(),
                    expected_version=form.expected_version,
                )
                messages.success(request, _("Claimant saved."))
        except EditConflict as conflict:
            form.report_conflict(conflict.current)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("claims:claimant_detail", pk=claimant.pk)
    return render(request, "claims/claimant_form.html", {"form": form, "claimant": claimant})


@permission_required("claims.add_claimant")
def claimant_create(request: HttpRequest) -> HttpResponse:
    return _claimant_form_page(request, None)


@permission_required("claims.change_claimant")
def claimant_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _claimant_form_page(request, get_object_or_404(Claimant, pk=pk))


# Dossiers and exports ----------------------------------------------------------------------

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


@permission_required("claims.view_claim", "evidence.view_evidenceitem")
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


CSV_COLUMNS = ["uuid", "id", "statement", "first_made", "precision", "verdict", "rating",
               "tags", "supporting_items", "contradicting_items", "denials", "url"]  # fmt: skip


@permission_required("claims.view_claim")
def claim_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The claim list's current filtered selection as CSV, streamed row by row."""
    filterset = selectors.claim_list(request.GET)
    rows = (
        [
            claim.uuid, claim.pk, claim.statement,
            claim.made.isoformat() if claim.made else "",
            claim.made_on_precision if claim.made else "",
            claim.get_verdict_display(), claim.rating.value,
            "; ".join(tag.name for tag in claim.tags.all()),
            claim.supporting, claim.contradicting, claim.denial_count,
            absolute(reverse("claims:claim_detail", args=[claim.pk])),
        ]
        for claim in filterset.qs.iterator(chunk_size=500)
    )  # fmt: skip
    return csv_response("claims.csv", CSV_COLUMNS, rows)


@permission_required("claims.view_claimant")
def claimant_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    filterset = selectors.claimant_list(request.GET)
    rows = (
        [c.pk, c.name, c.get_kind_display(), c.parent.name if c.parent else "", c.country,
         "; ".join(c.alias_list), c.claim_count,
         absolute(reverse("claims:claimant_detail", args=[c.pk]))]
        for c in filterset.qs.iterator(chunk_size=500)
    )  # fmt: skip
    columns = ["id", "name", "kind", "part_of", "country", "aliases", "claims", "url"]
    return csv_response("claimants.csv", columns, rows)


@permission_required("claims.view_claim", "evidence.view_evidenceitem")
def claim_list_dossiers(request: HttpRequest) -> StreamingHttpResponse:
    """A ZIP of the dossiers of the claim list's filtered selection, streamed."""
    filterset = selectors.claim_list(request.GET)
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


# Importing claims from CSV -----------------------------------------------------------------


class _CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row. Columns: ") + ", ".join(csv_import.COLUMNS),
    )


@require_http_methods(["GET", "POST"])
@permission_required("claims.add_claim", "claims.add_source")
def claim_import_csv(request: HttpRequest) -> HttpResponse:
    """Upload, preview with per-row errors, then confirm: nothing is saved before that."""
    form = _CsvUploadForm()
    rows, token, problem = None, "", ""
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                text = csv_import.unsign(request.POST.get("token", ""))
            else:
                form = _CsvUploadForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise csv_import.CsvError(" ".join(form.errors.get("file", [])))
                text = csv_import.read_upload(form.cleaned_data["file"])
            rows = csv_import.parse(text)
        except csv_import.CsvError as error:
            problem = str(error)
        else:
            bad = [row for row in rows if row.errors]
            if "confirm" in request.POST and not bad:
                created = csv_import.save(rows, request.user)
                messages.success(request, _("Imported %(n)d claims.") % {"n": len(created)})
                return redirect("claims:claim_list")
            token = csv_import.sign(text)
            if bad:
                messages.error(
                    request,
                    _("%(n)d of %(total)d rows need fixing; nothing was saved.")
                    % {"n": len(bad), "total": len(rows)},
                )
    return render(
        request,
        "claims/claim_import.html",
        {"form": form, "rows": rows, "token": token, "problem": problem,
         "has_errors": any(r.errors for r in rows or [])},
    )  # fmt: skip
