"""The "Assigned" filter of the claim and evidence lists (and of their API endpoints),
added by this app to the lists' FilterSets, which cannot name it."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.filters import ClaimFilterSet
from evidence.filters import EvidenceFilterSet
from teamwork.models import Assignment

ASSIGNED_CHOICES = (
    ("me", _("To me")),
    ("anyone", _("To anyone")),
    ("nobody", _("To nobody")),
)


class AssignedFilter(filters.ChoiceFilter):
    """?assigned=me|anyone|nobody, for the FilterSet's user."""

    def __init__(self, *, through: str, **kwargs):
        self.through = through
        super().__init__(
            label=_("Assigned"), choices=ASSIGNED_CHOICES, empty_label=_("Any"), **kwargs
        )

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        assigned = Assignment.objects.filter(**{self.through: OuterRef("pk")})
        if value == "me":
            return queryset.filter(Exists(assigned.filter(user=self.parent.user)))
        if value == "anyone":
            return queryset.filter(Exists(assigned))
        return queryset.exclude(Exists(assigned))


def extend_lists() -> None:
    for filterset, through in ((ClaimFilterSet, "claim"), (EvidenceFilterSet, "evidence")):
        if "assigned" not in filterset.base_filters:
            # Before the sort order, so the form reads filters first.
            ordered = dict(filterset.base_filters)
            sort = ordered.pop("sort", None)
            ordered["assigned"] = AssignedFilter(through=through)
            if sort is not None:
                ordered["sort"] = sort
            filterset.base_filters = ordered
            filterset.declared_filters = {
                **filterset.declared_filters,
                "assigned": ordered["assigned"],
            }
