"""The evidence tally each claim stores (claims.models.TALLY): what the claim list shows
and filters on without counting every claim's links.

The rule is the evidence balance's (assessment.balance): only approved evidence weighs,
each link by its strength. The services that change a link, an item's review or an item's
capture dates call claims_tally_refresh() for the claims concerned.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When

from claims.models import Claim
from evidence.models import EvidenceLink, Relation, ReviewStatus, Strength

WEIGHT = Case(
    *(When(strength=strength, then=Value(strength.weight)) for strength in Strength),
    output_field=IntegerField(),
)
_APPROVED = Q(evidence__review_status=ReviewStatus.APPROVED)
_SUPPORTS, _CONTRADICTS = Q(relation=Relation.SUPPORTS), Q(relation=Relation.CONTRADICTS)
FIELDS = (
    "supporting_weight",
    "contradicting_weight",
    "supporting_count",
    "contradicting_count",
    "latest_capture",
)


def claims_tally_refresh(claim_ids: Iterable[int]) -> None:
    """Recount the evidence tally of these claims: one aggregate and one update per 500."""
    ids = sorted(set(claim_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = (
            EvidenceLink.objects.filter(claim_id__in=chunk)
            .values("claim_id")
            .annotate(
                supporting_weight=Sum(WEIGHT, filter=_SUPPORTS & _APPROVED, default=0),
                contradicting_weight=Sum(WEIGHT, filter=_CONTRADICTS & _APPROVED, default=0),
                supporting_count=Count("pk", filter=_SUPPORTS),
                contradicting_count=Count("pk", filter=_CONTRADICTS),
                latest_capture=Max("evidence__captured_from"),
            )
        )
        tallies = {row.pop("claim_id"): row for row in rows}
        claims = list(Claim.objects.filter(pk__in=chunk).only(*FIELDS))
        for claim in claims:
            tally = tallies.get(claim.pk, {})
            for field in FIELDS:
                setattr(claim, field, tally.get(field, None if field == "latest_capture" else 0))
        Claim.objects.bulk_update(claims, FIELDS)


def claims_of_item(item) -> list[int]:
    """The claims an item is linked to: theirs is the tally a change to the item moves."""
    return list(EvidenceLink.objects.filter(evidence=item).values_list("claim_id", flat=True))
