"""Editing claims (with their sources and attributions), denials and claimants, and the
claimant list.

Views fetch through selectors, check permissions on the server, bind forms, call services
and redirect with a message (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import selectors, services
from claims.forms import (
    AttributionFormSet,
    ClaimantForm,
    ClaimForm,
    DenialForm,
    SourceFormSet,
    statement_choices,
)
from claims.models import Claim, Claimant, Denial, Tag
from core.csv_export import csv_response
from core.forms import formset_actions
from core.links import absolute_url
from core.pagination import paginate
from investigations.access import current_investigation, record_or_404, role_required
from investigations.audit import export_logged
from investigations.models import Role

# Claims ------------------------------------------------------------------------------------


def _save_rows(formset, data_of, *, create, update, delete) -> None:
    """Send each changed row of a claim page's formset to its service."""
    for action, form in formset_actions(formset):
        if action == "delete":
            delete(form.instance)
        elif action == "create":
            create(**data_of(form))
        else:
            update(form.instance, data_of(form))


def _save_claim_formsets(request, claim: Claim, sources, attributions) -> None:
    by = request.user
    _save_rows(
        sources,
        lambda form: form.source_data(),
        create=lambda **data: services.source_create(claim=claim, by=by, **data),
        update=lambda source, data: services.source_update(source=source, data=data, by=by),
        delete=lambda source: services.source_delete(source=source, by=by),
    )
    _save_rows(
        attributions,
        lambda form: form.attribution_data(),
        create=lambda **data: services.attribution_create(claim=claim, by=by, **data),
        update=lambda attribution, data: services.attribution_update(
            attribution=attribution, data=data, by=by
        ),
        delete=lambda attribution: services.attribution_delete(attribution=attribution, by=by),
    )


def _claim(request, pk: int) -> Claim:
    """A claim the user may edit: 404 outside their investigations, 403 for a viewer."""
    claims = Claim.objects.select_related("investigation")
    return record_or_404(claims, request.user, pk=pk, needed=Role.RESEARCHER)


def _chooser(request) -> dict:
    """What a create form needs to offer the investigations the user may add to."""
    return {"user": request.user, "current": current_investigation(request)}


@transaction.atomic
def _save_claim(request, claim: Claim | None, form, sources, attributions) -> Claim:
    """The claim, its tags, related claims, sources and attributions: all or nothing."""
    by = request.user
    if claim is None:
        claim = services.claim_create(
            investigation=form.investigation,
            by=by,
            tags=form.cleaned_data["tags"],
            **form.claim_data(),
        )
    else:
        services.claim_update(
            claim=claim, by=by, data=form.claim_data(), expected_version=form.expected_version
        )
        services.claim_tags_set(claim=claim, names=form.cleaned_data["tags"], by=by)
    services.claim_related_set(claim=claim, others=form.cleaned_data["related"], by=by)
    _save_claim_formsets(request, claim, sources, attributions)
    return claim


def _claim_form_page(request, claim: Claim | None) -> HttpResponse:
    instance = claim or Claim()
    row_kwargs = {"claim": claim, "choices": statement_choices(claim)}
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=instance, **_chooser(request))
        sources = SourceFormSet(request.POST, instance=instance, prefix="sources")
        attributions = AttributionFormSet(
            request.POST, instance=instance, prefix="attributions", form_kwargs=row_kwargs
        )
        formsets = (form, sources, attributions)
        valid = all(each.is_valid() for each in formsets)
        if valid and (saved := form.write(lambda: _save_claim(request, claim, *formsets))):
            messages.success(request, _("Claim saved.") if claim else _("Claim created."))
            return redirect("claims:claim_detail", pk=saved.pk)
        messages.error(request, _("The claim was not saved: see the messages below."))
    else:
        form = ClaimForm(instance=instance, **_chooser(request))
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


@role_required(Role.RESEARCHER)
def claim_create(request: HttpRequest) -> HttpResponse:
    return _claim_form_page(request, None)


@role_required(Role.RESEARCHER)
def claim_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_form_page(request, _claim(request, pk))


# Denials -----------------------------------------------------------------------------------


def _denial_form_page(request, claim: Claim, denial: Denial | None) -> HttpResponse:
    instance = denial or Denial(claim=claim)
    form = DenialForm(request.POST or None, instance=instance, claim=claim)
    if request.method == "POST" and form.is_valid():
        if denial is None:
            saved = form.write(
                lambda: services.denial_create(claim=claim, by=request.user, **form.denial_data())
            )
        else:
            saved = form.write(
                lambda: services.denial_update(
                    denial=denial,
                    by=request.user,
                    data=form.denial_data(),
                    expected_version=form.expected_version,
                )
            )
        if saved:
            messages.success(request, _("Denial saved.") if denial else _("Denial added."))
            return redirect("claims:claim_detail", pk=claim.pk)
    return render(
        request, "claims/denial_form.html", {"form": form, "claim": claim, "denial": denial}
    )


@role_required(Role.RESEARCHER)
def denial_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _denial_form_page(request, _claim(request, pk), None)


@role_required(Role.RESEARCHER)
def denial_update(request: HttpRequest, pk: int, denial_pk: int) -> HttpResponse:
    denial = get_object_or_404(
        Denial.objects.select_related("claim"), pk=denial_pk, claim=_claim(request, pk)
    )
    return _denial_form_page(request, denial.claim, denial)


@require_http_methods(["GET", "POST"])
@role_required(Role.RESEARCHER)
def denial_delete(request: HttpRequest, pk: int, denial_pk: int) -> HttpResponse:
    denials = Denial.objects.select_related("claim", "claimant")
    denial = get_object_or_404(denials, pk=denial_pk, claim=_claim(request, pk))
    if request.method == "POST":
        services.denial_delete(denial=denial, by=request.user)
        messages.success(request, _("Denial removed."))
        return redirect("claims:claim_detail", pk=pk)
    return render(request, "claims/denial_confirm_delete.html", {"denial": denial})


# Claimants ---------------------------------------------------------------------------------


@role_required(Role.VIEWER)
def claimant_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.claimant_list(request.GET, request.user)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "q": request.GET.get("q", "")}
    return render(request, "claims/claimant_list.html", context)


def _claimant_form_page(request, claimant: Claimant | None) -> HttpResponse:
    form = ClaimantForm(request.POST or None, instance=claimant or Claimant())
    if request.method == "POST" and form.is_valid():
        if claimant is None:
            saved = form.write(
                lambda: services.claimant_create(by=request.user, **form.claimant_data())
            )
        else:
            saved = form.write(
                lambda: services.claimant_update(
                    claimant=claimant,
                    by=request.user,
                    data=form.claimant_data(),
                    expected_version=form.expected_version,
                )
            )
        if saved:
            messages.success(request, _("Claimant saved.") if claimant else _("Claimant added."))
            return redirect("claims:claimant_detail", pk=saved.pk)
    return render(request, "claims/claimant_form.html", {"form": form, "claimant": claimant})


@role_required(Role.RESEARCHER)
def claimant_create(request: HttpRequest) -> HttpResponse:
    return _claimant_form_page(request, None)


@role_required(Role.RESEARCHER)
def claimant_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _claimant_form_page(request, get_object_or_404(Claimant, pk=pk))


@role_required(Role.VIEWER)
def claimant_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    filterset = selectors.claimant_list(request.GET, request.user)
    export_logged(request, what=_("claimant list as CSV"), params=request.GET)
    rows = (
        [
            c.pk,
            c.name,
            c.get_kind_display(),
            c.parent.name if c.parent else "",
            c.country,
            "; ".join(c.alias_list),
            c.claim_count,
            absolute_url(reverse("claims:claimant_detail", args=[c.pk])),
        ]
        for c in filterset.qs.iterator(chunk_size=500)
    )
    columns = ["id", "name", "kind", "part_of", "country", "aliases", "claims", "url"]
    return csv_response("claimants.csv", columns, rows)
