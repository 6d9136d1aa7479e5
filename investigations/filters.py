"""The investigation filter every list of claims or evidence starts with."""

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from investigations.access import places_of


class InvestigationFilterSet(filters.FilterSet):
    """Base of the claim and evidence FilterSets: `investigation` (a slug) among the user's
    own; empty for all of them. The choices come from the memberships the request has
    already read, so the filter costs no query."""

    investigation = filters.ChoiceFilter(
        label=_("Investigation"),
        choices=(),
        method="in_investigation",
        empty_label=_("All my investigations"),
    )

    def __init__(self, data=None, queryset=None, *, user=None, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        choices = [(p.slug, p.name) for p in places_of(self.user) if not p.locked]
        per_user(self.filters["investigation"], choices=choices)

    def in_investigation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(investigation__slug=value)


def per_user(filter_: filters.Filter, **options) -> None:
    """Set a filter's choices (or queryset) for this request's user. A form field built
    earlier from the class's filter (the schema generator does) would keep the old ones:
    it is dropped, to be built again."""
    filter_.extra.update(options)
    if "queryset" in options:
        filter_.queryset = options["queryset"]
    filter_.__dict__.pop("_field", None)
