"""The pages that show claims with their evidence: the claim list (and its CSV), the claim
page with its balance and flags, the timeline, and the claimant page with its track record.

Views fetch through selectors and check permissions on the server; they write nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessment import selectors
from assessment.balance import balance, flags
from claims.models import AttributionRole
from core import history, panels
from core.csv_export import csv_response
from core.links import absolute_url
from core.pagination import paginate
from evidence.models import Relation
from evidence.services import can_review
from investigations.access import can_edit, list_params, list_query, role_required
from investigations.audit import export_logged
from investigations.models import Role


@role_required(Role.VIEWER)
def claim_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.claim_list(list_params(request), request.user)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "filtered": filterset.is_bound}
    # What "Save this search" keeps: the filters as applied, the current investigation too.
    context |= {"save_target": "claims", "save_query": list_query(request)}
    context["q"] = request.GET.get("q", "")  # marked in the statements shown
    if filterset.is_bound and (chosen := filterset.form.cleaned_data.get("claimant")):
        context["claimant"] = selectors.claimant_named(chosen)  # from a claimant's page
    return render(request, "assessment/claim_list.html", context)


@role_required(Role.VIEWER)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_detail(pk, request.user)
    links = list(claim.evidence_links.all())
    weighed = balance(links)
    return render(
        request,
        "assessment/claim_detail.html",
        {
            "claim": claim,
            "balance": weighed,
            "flags": flags(claim, links, weighed),
            "supporting": [link for link in links if link.relation == Relation.SUPPORTS],
            "contradicting": [link for link in links if link.relation == Relation.CONTRADICTS],
            "context": [link for link in links if link.relation == Relation.CONTEXT],
            "timeline": selectors.claim_timeline(claim),
            "can_review": can_review(request.user, claim.investigation),
            "can_edit": can_edit(request.user, claim.investigation),
            "history": history.for_page(claim_id=pk)[:10],
            "panels": panels.for_page("claim", request, claim),
            "dossier_formats": [
                ("zip", _("ZIP bundle")),
                ("pdf", "PDF"),
                ("html", "HTML"),
                ("json", "JSON"),
            ],
        },
    )


@role_required(Role.VIEWER)
def claim_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_detail(pk, request.user)
    return render(
        request,
        "assessment/claim_timeline.html",
        {"claim": claim, "timeline": selectors.claim_timeline(claim)},
    )


@role_required(Role.VIEWER)
def claimant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claimant = selectors.claimant_detail(pk, request.user)
    attributions = list(claimant.attributions.all())
    return render(
        request,
        "assessment/claimant_detail.html",
        {
            "claimant": claimant,
            "ancestors": claimant.ancestors(),
            "claimed": [a for a in attributions if a.role == AttributionRole.ORIGINATOR],
            "endorsed": [a for a in attributions if a.role == AttributionRole.ENDORSER],
            "repeated": [a for a in attributions if a.role == AttributionRole.REPEATER],
            "denials": claimant.denials.all(),
            "track_record": selectors.claimant_track_record(claimant),
            "history": selectors.history_visible(history.for_page(claimant_id=pk), request.user)[
                :10
            ],
        },
    )


CSV_COLUMNS = [
    "uuid",
    "id",
    "statement",
    "first_made",
    "precision",
    "verdict",
    "rating",
    "tags",
    "supporting_items",
    "contradicting_items",
    "denials",
    "url",
]


@role_required(Role.VIEWER)
def claim_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The claim list's current filtered selection as CSV, streamed row by row."""
    params = list_params(request)
    filterset = selectors.claim_list(params, request.user)
    export_logged(request, what=_("claim list as CSV"), params=params)
    rows = (
        [
            claim.uuid,
            claim.pk,
            claim.statement,
            claim.made.isoformat() if claim.made else "",
            claim.made_on_precision if claim.made else "",
            claim.get_verdict_display(),
            claim.rating.value,
            "; ".join(tag.name for tag in claim.tags.all()),
            claim.supporting_count,
            claim.contradicting_count,
            claim.denial_count,
            absolute_url(reverse("claims:claim_detail", args=[claim.pk])),
        ]
        for claim in filterset.qs.iterator(chunk_size=500)
    )
    return csv_response("claims.csv", CSV_COLUMNS, rows)
