"""FilterSet for the evidence list."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from claims.models import Claimant
from core import search
from core.dates import period_reaches
from core.filters import ANY, IdFilter
from evidence.models import EvidenceItem, EvidenceKind, EvidenceLink, Processing, ReviewStatus
from investigations.filters import InvestigationFilterSet

_DATE = forms.DateInput(attrs={"type": "date"})


class EvidenceFilterSet(InvestigationFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=EvidenceKind.choices, empty_label=ANY)
    review_status = filters.ChoiceFilter(
        label=_("Review status"), choices=ReviewStatus.choices, empty_label=ANY
    )
    processing = filters.ChoiceFilter(
        label=_("File processing"), choices=Processing.choices, empty_label=ANY
    )
    # A name to type, not a drop-down of every provider (thousands on a large instance);
    # a link can name one by id.
    provider_name = filters.CharFilter(
        label=_("Provider"), method="by_provider_name", help_text=_("Part of a name.")
    )
    provider = IdFilter(field_name="provider", widget=forms.HiddenInput)
    captured_from = filters.DateFilter(
        label=_("Captured from"), method="captured_from_day", widget=_DATE
    )
    captured_to = filters.DateFilter(
        label=_("Captured until"), field_name="captured_from", lookup_expr="lte", widget=_DATE
    )
    # An id rather than a drop-down of every claim; the claim page links here with it set.
    claim = IdFilter(label=_("Linked to claim"), method="linked_to")

    sort = filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(("relevance", _("Most relevant (with a search)")),),
        method="sort_by",
        empty_label=_("Newest first"),
    )

    class Meta:
        model = EvidenceItem
        fields: list[str] = []

    def by_provider_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Items provided by a claimant whose name or an alias holds the text (only the
        user's items are listed, so nothing is learnt of other investigations)."""
        vendor = connections[queryset.db].vendor
        named = Claimant.objects.filter(search.matching("search_text", value, vendor))
        return queryset.filter(provider__in=named.values("pk"))

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.by_relevance(queryset, "search_text", self.data.get("q", ""))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Title, description, location and file name in any script (core.search), or the
        file's SHA-256 exactly."""
        vendor = connections[queryset.db].vendor
        return queryset.filter(
            search.matching("search_text", value, vendor) | Q(sha256=value.strip().lower())
        )

    def captured_from_day(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # A range overlaps [value, ...) when it ends on or after value; an item with only a
        # start date is taken to end there.
        return queryset.filter(
            period_reaches("captured_to", "captured_precision", value)
            | Q(captured_to__isnull=True)
            & period_reaches("captured_from", "captured_precision", value)
        )

    def linked_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(
            Exists(EvidenceLink.objects.filter(evidence=OuterRef("pk"), claim_id=value))
        )
