"""Filters of the API endpoints for a claim's parts. Records are named by id and never
looked up, so an id from another investigation filters to nothing, exactly like one that
does not exist."""

import django_filters as filters

from claims.models import AttributionRole, DenialKind
from core.filters import IdFilter
from evidence.models import Relation


class ClaimPartFilterSet(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    # Among the user's own (the endpoint reads nothing else): another slug finds nothing.
    investigation = filters.CharFilter(field_name="claim__investigation__slug")


class SourceFilterSet(ClaimPartFilterSet):
    pass


class AttributionFilterSet(ClaimPartFilterSet):
    claimant = IdFilter(field_name="claimant_id")
    role = filters.ChoiceFilter(choices=AttributionRole.choices)


class DenialFilterSet(ClaimPartFilterSet):
    claimant = IdFilter(field_name="claimant_id")
    kind = filters.ChoiceFilter(choices=DenialKind.choices)


class LinkFilterSet(ClaimPartFilterSet):
    evidence = IdFilter(field_name="evidence_id")
    relation = filters.ChoiceFilter(choices=Relation.choices)
