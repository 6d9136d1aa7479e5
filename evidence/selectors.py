"""Reads for the evidence pages."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from claims.models import Claim
from evidence.filters import EvidenceFilterSet
from evidence.models import EvidenceItem, EvidenceLink

PICKER_LIMIT = 20


def evidence_list(data) -> EvidenceFilterSet:
    links = (
        EvidenceLink.objects.filter(evidence=OuterRef("pk"))
        .values("evidence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = EvidenceItem.objects.select_related("provider").annotate(
        link_count=Coalesce(Subquery(links, output_field=IntegerField()), Value(0))
    )
    return EvidenceFilterSet(data or None, queryset=queryset)


def evidence_detail(pk: int) -> EvidenceItem:
    queryset = EvidenceItem.objects.select_related(
        "provider", "created_by", "reviewed_by"
    ).prefetch_related("links__claim")
    return get_object_or_404(queryset, pk=pk)


def evidence_picker(*, claim: Claim, query: str) -> QuerySet[EvidenceItem]:
    """Items not yet linked to `claim`, matching `query`, newest first (at most 20)."""
    already = EvidenceLink.objects.filter(claim=claim, evidence=OuterRef("pk"))
    items = EvidenceItem.objects.select_related("provider").exclude(Exists(already))
    if query:
        items = items.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(location_name__icontains=query)
            | Q(sha256=query.strip().lower())
        )
    return items.order_by("-created")[:PICKER_LIMIT]
