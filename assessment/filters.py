"""FilterSet for the claim list; the filter state lives in the URL."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.balance import FLAGS, flag_condition
from claims.models import (
    Attribution,
    Claim,
    Claimant,
    Denial,
    Tag,
    Verdict,
    name_key,
)
from core import search
from core.dates import period_reaches
from core.filters import ANY, FastSelect, IdFilter
from investigations.filters import InvestigationFilterSet

_DATE = forms.DateInput(attrs={"type": "date"})
_YES_NO = (("yes", _("Yes")), ("no", _("No")))

SORTS = {
    "-made": ("-made_on", "-pk"),
    "made": ("made_on", "pk"),
    "-updated": ("-updated", "-pk"),
}
SORT_CHOICES = (
    ("-made", _("Newest first")),
    ("relevance", _("Most relevant (with a search)")),
    ("made", _("Oldest first")),
    ("-updated", _("Recently changed")),
)


class ClaimFilterSet(InvestigationFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    verdict = filters.ChoiceFilter(label=_("Verdict"), choices=Verdict.choices, empty_label=ANY)
    tag = filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        queryset=Tag.objects.order_by("name"),
        empty_label=ANY,
        widget=FastSelect,
    )
    # A name to type, not a list of every claimant (tens of thousands on a large instance);
    # a link from a claimant's page names the claimant by id.
    claimant_name = filters.CharFilter(
        label=_("Claimant (any role)"), method="by_claimant_name", help_text=_("Part of a name.")
    )
    claimant = IdFilter(method="by_claimant", widget=forms.HiddenInput)
    denied = filters.ChoiceFilter(
        label=_("Denied"), choices=_YES_NO, method="by_denied", empty_label=ANY
    )
    contradicted = filters.ChoiceFilter(
        label=_("Has contradicting evidence"),
        choices=_YES_NO,
        method="by_contradicted",
        empty_label=ANY,
    )
    flags = filters.MultipleChoiceFilter(
        label=_("Flags"),
        # "Denied" is the yes/no filter above.
        choices=[(key, flag.label) for key, flag in FLAGS.items() if key != "denied"],
        method="by_flags",
        widget=forms.CheckboxSelectMultiple,
    )
    made_from = filters.DateFilter(label=_("Made from"), method="made_from_day", widget=_DATE)
    made_to = filters.DateFilter(
        label=_("Made until"), field_name="made_on", lookup_expr="lte", widget=_DATE
    )
    sort = filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Statement, details, the claim's sources (outlet, title), tags and claimants, in
        any script, through the search document (core.search)."""
        vendor = connections[queryset.db].vendor
        return queryset.filter(search.matching("search_text", value, vendor))

    def by_claimant(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return self._with_claimants(queryset, Claimant.objects.filter(pk=value))

    def by_claimant_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Claims made, endorsed, repeated or denied by a claimant whose name or an alias
        holds the text, in any script and case."""
        key = name_key(value)
        named = Claimant.objects.filter(Q(name_key__contains=key) | Q(aliases__icontains=value))
        return self._with_claimants(queryset, named)

    @staticmethod
    def _with_claimants(queryset: QuerySet, claimants: QuerySet) -> QuerySet:
        ids = claimants.values("pk")
        said = Attribution.objects.filter(claim=OuterRef("pk"), claimant__in=ids)
        denied = Denial.objects.filter(claim=OuterRef("pk"), claimant__in=ids)
        return queryset.filter(Exists(said) | Exists(denied))

    def by_denied(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return (
            queryset.filter(denial_count__gt=0)
            if value == "yes"
            else queryset.filter(denial_count=0)
        )

    def by_contradicted(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(contradicting_count__gt=0)
        return queryset.filter(contradicting_count=0)

    def by_flags(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        """Claims with every chosen flag raised (on the claims' stored tally)."""
        for key in value:
            queryset = queryset.filter(flag_condition(key))
        return queryset

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "relevance":
            # Where there is no search or no ranking (SQLite), the newest come first.
            return search.by_relevance(queryset, "search_text", self.data.get("q", ""))
        return queryset.order_by(*SORTS[value])

    def made_from_day(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # "June 2014" was made from 15 June too: compare whole periods, not first days.
        return queryset.filter(period_reaches("made_on", "made_on_precision", value))
