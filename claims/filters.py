"""FilterSet for the claimant list; the filter state lives in the URL."""

from __future__ import annotations

import django_filters as filters
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from claims.models import Claimant, ClaimantKind
from core import search
from core.filters import ANY, FastSelect


def _countries() -> list[tuple[str, str]]:
    names = Claimant.objects.exclude(country="").values_list("country", flat=True).distinct()
    return [(name, name) for name in sorted(names)]


class ClaimantFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Search names and aliases"), method="search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=ClaimantKind.choices, empty_label=ANY)
    country = filters.ChoiceFilter(
        label=_("Country"), choices=_countries, empty_label=ANY, widget=FastSelect
    )

    sort = filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(("relevance", _("Most relevant (with a search)")),),
        method="sort_by",
        empty_label=_("Name"),
    )

    class Meta:
        model = Claimant
        fields: list[str] = []

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.by_relevance(queryset, "search_text", self.data.get("q", ""))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Names and aliases in any script (core.search)."""
        return queryset.filter(
            search.matching("search_text", value, connections[queryset.db].vendor)
        )
