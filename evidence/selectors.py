"""Reads for the evidence pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Claim
from core.dates import PartialDate
from evidence.filters import EvidenceFilterSet
from evidence.intake import hamming
from evidence.models import CustodyEvent, EvidenceItem, EvidenceLink
from investigations.access import scoped, scoped_or_404
from investigations.models import Role

PICKER_LIMIT = 20


def evidence_counted(user) -> QuerySet[EvidenceItem]:
    """The items the user may see, with their provider and how many claims they are linked
    to: what the evidence list, its CSV and the API show."""
    links = (
        EvidenceLink.objects.filter(evidence=OuterRef("pk"))
        .values("evidence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = scoped(EvidenceItem.objects.select_related("provider", "investigation"), user)
    return items.annotate(
        link_count=Coalesce(Subquery(links, output_field=IntegerField()), Value(0))
    )


def evidence_list(data, user) -> EvidenceFilterSet:
    return EvidenceFilterSet(data or None, queryset=evidence_counted(user), user=user)


def evidence_detail(pk: int, user) -> EvidenceItem:
    """An item the user may see, with what its page shows (404 otherwise)."""
    queryset = EvidenceItem.objects.select_related(
        "provider", "created_by", "reviewed_by", "investigation"
    ).prefetch_related(
        "links__claim", Prefetch("custody", CustodyEvent.objects.select_related("user"))
    )
    return scoped_or_404(queryset, user, pk=pk)


LOOKS_LIKE_BITS = 10  # of 64: pictures this close are near-copies (resized, recompressed)


def evidence_looks_like(item: EvidenceItem, limit: int = 8) -> list[tuple[EvidenceItem, int]]:
    """Other items whose picture is a near-copy of this one, closest first.

    Two queries whatever the collection's size: every perceptual hash (8 bytes a row) is
    compared here; a BK-tree would replace this scan past a few hundred thousand images.
    """
    if item.phash is None:
        return []
    # Within the item's investigation only: nothing may hint at what others hold.
    hashes = (
        EvidenceItem.objects.filter(investigation=item.investigation_id)
        .exclude(pk=item.pk)
        .exclude(phash=None)
        .values_list("pk", "phash")
    )
    close = sorted(
        (distance, pk)
        for pk, phash in hashes
        if (distance := hamming(item.phash, phash)) <= LOOKS_LIKE_BITS
    )[:limit]
    found = EvidenceItem.objects.in_bulk([pk for _, pk in close])
    return [(found[pk], distance) for distance, pk in close if pk in found]


@dataclass(frozen=True)
class Suggestion:
    what: str  # the accept URL's slug
    label: str
    value: str


def suggestions(item: EvidenceItem) -> list[Suggestion]:
    """Values the file's own metadata suggests, where they differ from what is recorded."""
    found = []
    exif = item.metadata.get("exif", {})
    if gps := exif.get("gps"):
        lat, lon = Decimal(str(gps["latitude"])), Decimal(str(gps["longitude"]))
        if (item.latitude, item.longitude) != (lat, lon):
            found.append(
                Suggestion("coordinates", _("Coordinates from the photo’s GPS"), f"{lat}, {lon}")
            )
    if taken := exif.get("original_datetime"):
        day = datetime.datetime.fromisoformat(taken).date()
        if (item.captured_from, item.captured_to) != (day, day):
            found.append(
                Suggestion(
                    "capture-date",
                    _("Capture date from the camera"),
                    f"{PartialDate(day)} ({taken})",
                )
            )
    return found


def evidence_picker(*, claim: Claim, query: str) -> QuerySet[EvidenceItem]:
    """Items of the claim's investigation not yet linked to it, matching `query`, newest
    first (at most 20)."""
    already = EvidenceLink.objects.filter(claim=claim, evidence=OuterRef("pk"))
    items = (
        EvidenceItem.objects.filter(investigation=claim.investigation_id)
        .select_related("provider")
        .exclude(Exists(already))
    )
    if query:
        items = items.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(location_name__icontains=query)
            | Q(sha256=query.strip().lower())
        )
    return items.order_by("-created")[:PICKER_LIMIT]


_METADATA_LABELS = {
    "duration_seconds": gettext_lazy("Duration (seconds)"),
    "camera_make": gettext_lazy("Camera make"),
    "camera_model": gettext_lazy("Camera model"),
    "original_datetime": gettext_lazy("Taken (camera clock)"),
    "creation_time": gettext_lazy("Created (container)"),
    "frame_rate": gettext_lazy("Frames per second"),
    "sample_rate": gettext_lazy("Sample rate (Hz)"),
    "gps": gettext_lazy("GPS position"),
}


def metadata_rows(item: EvidenceItem) -> list[tuple[str, str]]:
    """The extracted metadata as (label, value) rows for people."""
    rows = []
    for group, values in item.metadata.items():
        for key, value in values.items():
            if key == "gps":
                value = f"{value['latitude']}, {value['longitude']}"
            label = _METADATA_LABELS.get(key, key.replace("_", " ").capitalize())
            rows.append((f"{group.capitalize()}: {label}", str(value)))
    return rows


def review_queue(user) -> QuerySet[EvidenceItem]:
    """Items waiting for a reviewer in the investigations the user reviews in, oldest first,
    with what a reviewer needs to see."""
    return (
        scoped(EvidenceItem.objects.awaiting_review(), user, at_least=Role.REVIEWER)
        .select_related("provider", "created_by", "reviewed_by")
        .prefetch_related("links__claim")
        .order_by("created", "pk")
    )
