"""Reads for the pages that show claims with their evidence: the claim list, the claim page
and its timeline, the claimant page. Each returns what its page needs in a fixed number of
queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessment.filters import ClaimFilterSet
from claims.models import Attribution, AttributionRole, Claim, Claimant, Denial, Verdict
from core.dates import PartialDate, sort_key
from evidence.models import EvidenceItem, EvidenceLink, Relation, ReviewStatus, Strength
from investigations.access import scoped, scoped_or_404

# Heaviest first: the order of the evidence cards on the claim page.
STRONGEST_FIRST = Case(
    *(When(strength=strength, then=Value(-strength.weight)) for strength in Strength),
    output_field=IntegerField(),
)


def claims_weighed(user) -> QuerySet[Claim]:
    """The claims the user may see, with their tags: what the claim list, its CSV and the
    API show. Balance, counts and flags are columns of the claim (its stored tally)."""
    claims = scoped(Claim.objects.select_related("investigation"), user)
    return claims.prefetch_related("tags")


def claim_list(data, user) -> ClaimFilterSet:
    """The filtered claim list; `filterset.qs` carries tags, balance and evidence counts."""
    return ClaimFilterSet(data or None, queryset=claims_weighed(user), user=user)


def claimant_named(pk: int) -> Claimant | None:
    """The claimant a filtered list names by id (claimants are shared: no scope)."""
    return Claimant.objects.filter(pk=pk).only("name").first()


def claim_detail(pk: int, user) -> Claim:
    """A claim the user may see, with everything its page shows, prefetched (404 if the
    user may not see it)."""
    queryset = Claim.objects.select_related("created_by", "investigation").prefetch_related(
        "tags",
        "sources",
        Prefetch("attributions", queryset=Attribution.objects.select_related("claimant", "source")),
        Prefetch("denials", queryset=Denial.objects.select_related("claimant", "source")),
        Prefetch("related", queryset=Claim.objects.order_by("-made_on")),
        Prefetch(
            "evidence_links",
            # Reviewer and author come along for the dossier (joins, not queries); ties are
            # broken by UUID so that the order is the same on every instance.
            queryset=EvidenceLink.objects.select_related(
                "evidence__provider", "evidence__reviewed_by", "created_by"
            ).order_by(STRONGEST_FIRST, "evidence__title", "evidence__uuid"),
        ),
    )
    return scoped_or_404(queryset, user, pk=pk)


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    kind: str  # claim, attribution, denial, event, capture, publication
    text: str
    end: PartialDate | None = None  # for capture ranges


def claim_timeline(claim: Claim) -> list[TimelineEvent]:
    """Every dated event of a prefetched claim (see claim_detail), in date order."""
    events: list[TimelineEvent] = []
    if claim.made:
        events.append(TimelineEvent(claim.made, "claim", _("Claim first made")))
    for attribution in claim.attributions.all():
        if attribution.stated:
            events.append(
                TimelineEvent(
                    attribution.stated,
                    "attribution",
                    _("%(claimant)s %(verb)s the claim")
                    % {
                        "claimant": attribution.claimant,
                        "verb": AttributionRole(attribution.role).verb,
                    },
                )
            )
    for denial in claim.denials.all():
        if denial.stated:
            events.append(
                TimelineEvent(
                    denial.stated, "denial", f"{denial.claimant}: {denial.get_kind_display()}"
                )
            )
    for link in claim.evidence_links.all():
        item = link.evidence
        if item.event:
            events.append(
                TimelineEvent(
                    item.event, "event", _("Event shown in “%(title)s”") % {"title": item.title}
                )
            )
        start, end = item.captured
        if start:
            events.append(
                TimelineEvent(
                    start,
                    "capture",
                    _("“%(title)s” captured") % {"title": item.title},
                    end if end != start else None,
                )
            )
        if item.published:
            events.append(TimelineEvent(item.published, "publication", f"“{item.title}” published"))
    return sorted(events, key=lambda event: sort_key(event.date))


# Parent chains are short (person → ministry → government); following five levels in
# the one query keeps the page's query count fixed for every real chain.
_ANCESTORS = [
    "parent",
    "parent__parent",
    "parent__parent__parent",
    "parent__parent__parent__parent",
]


def claimant_detail(pk: int, user) -> Claimant:
    """A claimant (shared by the whole instance) with what the user may see about it: its
    claims, endorsements, denials and evidence from the user's investigations only."""
    mine = {"through": "claim__investigation"}
    queryset = Claimant.objects.select_related(*_ANCESTORS).prefetch_related(
        Prefetch("children", queryset=Claimant.objects.order_by("name")),
        Prefetch(
            "attributions",
            queryset=scoped(Attribution.objects, user, **mine)
            .select_related("claim")
            .order_by("-claim__made_on"),
        ),
        Prefetch(
            "denials",
            queryset=scoped(Denial.objects, user, **mine)
            .select_related("claim")
            .prefetch_related(
                # For the track record: what approved evidence now supports the denied claim.
                Prefetch(
                    "claim__evidence_links",
                    queryset=EvidenceLink.objects.filter(
                        relation=Relation.SUPPORTS, evidence__review_status=ReviewStatus.APPROVED
                    ).select_related("evidence"),
                    to_attr="approved_support",
                )
            )
            .order_by("-stated_on"),
        ),
        Prefetch("evidence_provided", queryset=scoped(EvidenceItem.objects, user)),
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class TrackRecord:
    by_verdict: list[tuple[str, str, int]]  # (verdict, label, number of claims)
    refuted_denials: list  # denials of claims that approved evidence supports


def claimant_track_record(claimant: Claimant) -> TrackRecord:
    """From a claimant loaded by claimant_detail: its claims by verdict, and its denials of
    claims that approved evidence has since supported."""
    claims = {a.claim_id: a.claim for a in claimant.attributions.all()}
    counts: dict[str, int] = {}
    for claim in claims.values():
        counts[claim.verdict] = counts.get(claim.verdict, 0) + 1
    by_verdict = [
        (verdict, label, counts[verdict]) for verdict, label in Verdict.choices if verdict in counts
    ]
    refuted = [d for d in claimant.denials.all() if d.claim.approved_support]
    return TrackRecord(by_verdict, refuted)


def history_visible(entries: QuerySet, user) -> QuerySet:
    """History entries the user may see: about shared records (a claimant's own changes),
    or about claims and evidence of the user's investigations."""
    claims = scoped(Claim.objects, user).values("pk")
    items = scoped(EvidenceItem.objects, user).values("pk")
    return entries.filter(
        (Q(claim_id__isnull=True) | Q(claim_id__in=claims))
        & (Q(evidence_id__isnull=True) | Q(evidence_id__in=items))
    )
