"""Reads for the claim editing pages and the claimant list."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from claims.filters import ClaimantFilterSet
from claims.models import Attribution, Claim, Claimant
from investigations.access import scoped


def claim_for_edit(pk: int) -> Claim:
    """A claim with what its edit page and its conflict report compare."""
    queryset = Claim.objects.prefetch_related(
        "tags",
        "sources",
        "related",
        Prefetch("attributions", queryset=Attribution.objects.select_related("claimant")),
    )
    return get_object_or_404(queryset, pk=pk)


def claimants_counted(user) -> QuerySet[Claimant]:
    """Claimants (shared by the instance) with their parent and how many of the claims the
    user may see they made, endorsed or repeated: what the claimant list, its CSV and the
    API show."""
    claims = (
        scoped(Attribution.objects, user, through="claim__investigation")
        .filter(claimant=OuterRef("pk"))
        .values("claimant")
        .annotate(n=Count("claim", distinct=True))
        .values("n")
    )
    return Claimant.objects.select_related("parent").annotate(
        claim_count=Coalesce(Subquery(claims, output_field=IntegerField()), Value(0))
    )


def claimant_list(data, user) -> ClaimantFilterSet:
    return ClaimantFilterSet(data or None, queryset=claimants_counted(user))
