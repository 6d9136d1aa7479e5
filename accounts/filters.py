import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import EventKind, SecurityEvent


class SecurityEventFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("Event"), choices=EventKind.choices)
    account = filters.CharFilter(label=_("Account"), method="by_account")
    investigation = filters.ChoiceFilter(
        label=_("Investigation"), choices=[], method="in_investigation"
    )
    since = filters.DateFilter(label=_("From"), field_name="created", lookup_expr="date__gte")
    until = filters.DateFilter(label=_("To"), field_name="created", lookup_expr="date__lte")

    class Meta:
        model = SecurityEvent
        fields = []

    def __init__(self, data=None, queryset=None, *, investigations=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["investigation"].extra["choices"] = [
            (str(pk), name) for pk, name in investigations
        ]

    def by_account(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Events by the account or about it (a typed name at a failed sign-in included)."""
        value = value.strip()
        return queryset.filter(Q(actor_name__iexact=value) | Q(subject_name__iexact=value))

    def in_investigation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(investigation_id=int(value))
