import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import EventKind, SecurityEvent
from core.filters import ANY

_DATE = forms.DateInput(attrs={"type": "date"})


class SecurityEventFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("Event"), choices=EventKind.choices, empty_label=ANY)
    account = filters.CharFilter(
        label=_("Account"),
        method="by_account",
        help_text=_("By it or about it, e.g. a name typed at a failed sign-in."),
    )
    investigation = filters.ChoiceFilter(
        label=_("Investigation"), choices=[], method="in_investigation", empty_label=ANY
    )
    since = filters.DateFilter(
        label=_("From"), field_name="created", lookup_expr="date__gte", widget=_DATE
    )
    until = filters.DateFilter(
        label=_("To"), field_name="created", lookup_expr="date__lte", widget=_DATE
    )

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
