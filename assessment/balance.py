"""The evidence balance of a claim, and the flags that ask a researcher to look again.

Only approved evidence counts; each link weighs by its strength (weak 1, moderate 2,
strong 3). The same rules exist twice on purpose: in Python for a claim whose links are
already loaded (the claim page), and in SQL (evidence.tally) for the tally each claim
stores, which the claim list shows and filters on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    F,
    Q,
)
from django.utils.translation import gettext_lazy as _

from claims.models import DISAGREES, Claim, Verdict
from evidence.models import Relation, ReviewStatus, Strength


@dataclass(frozen=True)
class Balance:
    supporting: int  # weight of approved supporting evidence
    contradicting: int  # weight of approved contradicting evidence
    pending_supporting: int  # items not (yet) counted
    pending_contradicting: int

    @property
    def total(self) -> int:
        return self.supporting + self.contradicting

    @property
    def supporting_percent(self) -> int:
        return round(100 * self.supporting / self.total) if self.total else 0

    @property
    def lean(self) -> str:
        """supports, contradicts, even, or none (no approved evidence either way)."""
        if not self.total:
            return "none"
        if self.supporting == self.contradicting:
            return "even"
        return "supports" if self.supporting > self.contradicting else "contradicts"


def balance(links) -> Balance:
    """The balance of a claim from its links (with their evidence loaded)."""
    weights = {Relation.SUPPORTS: 0, Relation.CONTRADICTS: 0}
    pending = {Relation.SUPPORTS: 0, Relation.CONTRADICTS: 0}
    for link in links:
        if link.relation not in weights:
            continue
        if link.evidence.review_status == ReviewStatus.APPROVED:
            weights[link.relation] += Strength(link.strength).weight
        elif link.evidence.is_awaiting_review:
            pending[link.relation] += 1
    return Balance(
        weights[Relation.SUPPORTS],
        weights[Relation.CONTRADICTS],
        pending[Relation.SUPPORTS],
        pending[Relation.CONTRADICTS],
    )


def verdict_disagrees(verdict: str, weighed: Balance) -> bool:
    """A verdict the approved evidence points against."""
    return (verdict == Verdict.SUPPORTED and weighed.lean == "contradicts") or (
        verdict == Verdict.REFUTED and weighed.lean == "supports"
    )


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    explanation: str

    @property
    def list_query(self) -> str:
        """The claim list's query string for the claims with this flag."""
        # "Denied" has its own yes/no filter on the list, from before flags existed.
        return "denied=yes" if self.key == "denied" else f"flags={self.key}"


FLAGS = {
    "disagrees": Flag(
        "disagrees",
        _("Verdict disagrees with the evidence"),
        _("The verdict points one way and the approved evidence the other."),
    ),
    "approved_contradicting": Flag(
        "approved_contradicting",
        _("Approved contradicting evidence"),
        _("At least one reviewed item contradicts the claim."),
    ),
    "captured_after": Flag(
        "captured_after",
        _("Evidence captured after the claim"),
        _(
            "Some linked evidence was recorded after the claim was made, so the claim cannot "
            "have rested on it."
        ),
    ),
    "denied": Flag(
        "denied", _("Denied by a claimant"), _("Someone named in the record denies it.")
    ),
}


def flags(claim: Claim, links, weighed: Balance) -> list[Flag]:
    """The flags of a claim whose links (with evidence) and denials are loaded."""
    raised = []
    if verdict_disagrees(claim.verdict, weighed):
        raised.append(FLAGS["disagrees"])
    if any(
        link.relation == Relation.CONTRADICTS
        and link.evidence.review_status == ReviewStatus.APPROVED
        for link in links
    ):
        raised.append(FLAGS["approved_contradicting"])
    if claim.made_until and any(
        link.evidence.captured_from and link.evidence.captured_from > claim.made_until
        for link in links
    ):
        raised.append(FLAGS["captured_after"])
    if claim.denials.all():
        raised.append(FLAGS["denied"])
    return raised


# The same, on the tally each claim stores (evidence.tally), for the claim list ----------


def flag_condition(key: str) -> Q:
    """The Q for one flag, on the claim's stored tally: no claim's links are read."""
    if key == "disagrees":
        return DISAGREES
    if key == "approved_contradicting":
        return Q(contradicting_weight__gt=0)
    if key == "captured_after":
        return Q(latest_capture__gt=F("made_until"))
    if key == "denied":
        return Q(denial_count__gt=0)
    raise KeyError(key)
