"""Reading the history for notifications: watchers hear of changes to what they watch,
and saved searches with an alert hear of new records that match them.

Runs in a task after each change (and on a schedule, to catch up after an outage). A
watermark row says how far the history has been read; it is locked while a batch is read,
so two workers never tell anyone twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Subquery
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Preferences
from assessment.selectors import claim_list
from core import history
from core.models import HistoryEntry
from evidence.selectors import evidence_list
from investigations.access import forget_roles
from teamwork.models import (
    Alert,
    FanOut,
    Kind,
    Mail,
    Notification,
    SavedSearch,
    SearchTarget,
    Watch,
)
from teamwork.services import (
    MAIL_FOR,
    burst,
    deliveries_of,
    delivery_for,
    mail_soon,
    still_members,
)

log = logging.getLogger(__name__)
BATCH = 2000
CREATED_MODELS = {
    SearchTarget.CLAIMS: "claims.claim",
    SearchTarget.EVIDENCE: "evidence.evidenceitem",
}


def describe_entry(entry: HistoryEntry) -> str:
    """One line of what an entry did, for a notification, in the active language: a
    comment's text, else what changed."""
    if entry.model == "teamwork.comment":
        old, new = entry.changes.get("Text", [None, None])
        if entry.action == "deleted":
            return (_("deleted a comment: %(text)s") % {"text": old or ""})[:500]
        if entry.action == "created":
            return (_("commented: %(text)s") % {"text": new or ""})[:500]
        return (_("edited a comment: %(text)s") % {"text": new or ""})[:500]
    values = {"type": entry.record_type.lower(), "name": entry.object_repr}
    if entry.action == "changed":
        fields = ", ".join(history.field_label(field) for field in entry.changes)
        return (_("changed %(fields)s of %(type)s “%(name)s”") % {**values, "fields": fields})[:500]
    if entry.action == "created":
        return (_("added %(type)s “%(name)s”") % values)[:500]
    return (_("removed %(type)s “%(name)s”") % values)[:500]


def fan_out() -> int:
    """Tell watchers of the entries appended since the last run, then run the saved
    searches' alerts if records were added; returns how many entries concerned watched
    records. Only those are read: an import's thousands of entries about records nobody
    watches cost one query, not a read of each."""
    with transaction.atomic():
        mark = FanOut.objects.select_for_update().filter(pk=1).first()
        if mark is None:
            mark = FanOut.objects.create(pk=1, seq=0)
        head = history.head_seq()
        if head <= mark.seq:
            return 0
        span = HistoryEntry.objects.filter(seq__gt=mark.seq, seq__lte=head)
        claims = Watch.objects.filter(claim__isnull=False).values("claim_id")
        items = Watch.objects.filter(evidence__isnull=False).values("evidence_id")
        watched = span.filter(Q(claim_id__in=claims) | Q(evidence_id__in=items)).order_by("seq")
        read, batch = 0, []
        for entry in watched.iterator(chunk_size=BATCH):
            batch.append(entry)
            if len(batch) == BATCH:
                _tell_watchers(batch)
                read, batch = read + len(batch), []
        if batch:
            _tell_watchers(batch)
            read += len(batch)
        added = (
            SavedSearch.objects.exclude(alert=Alert.OFF).exists()
            and span.filter(action="created", model__in=CREATED_MODELS.values()).exists()
        )
        mark.seq = head
        mark.save(update_fields=["seq"])
    if added:
        run_alerts()
    return read


def _tell_watchers(entries: list[HistoryEntry]) -> None:
    claims = {e.claim_id for e in entries if e.claim_id}
    items = {e.evidence_id for e in entries if e.evidence_id}
    if not claims and not items:
        return
    watches = list(
        Watch.objects.filter(Q(claim_id__in=claims) | Q(evidence_id__in=items)).values_list(
            "user_id", "investigation_id", "claim_id", "evidence_id"
        )
    )
    members = still_members((user, place) for user, place, _, _ in watches)
    watchers: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for user, place, claim, item in watches:
        if (user, place) in members:
            key = ("claim", claim) if claim else ("evidence", item)
            watchers[key].append((user, place))
    # (recipient, page, record id) -> (investigation, entries), in order.
    groups: dict[tuple[int, str, int], tuple[int, list[HistoryEntry]]] = {}
    for entry in entries:
        for page, record in (("claim", entry.claim_id), ("evidence", entry.evidence_id)):
            for user, place in watchers.get((page, record), ()) if record else ():
                if user != entry.user_id:
                    groups.setdefault((user, page, record), (place, []))[1].append(entry)
    if groups:
        _fold_in(groups)


def _fold_in(groups) -> None:
    """Add each group's entries to the recipient's unread notification about the record
    from the last few minutes, or make a new one."""
    now = timezone.now()
    recipients = {user for user, _, _ in groups}
    recent = Notification.objects.filter(
        recipient_id__in=recipients, read_at__isnull=True, updated__gte=now - burst()
    ).filter(
        Q(claim_id__in={r for _, p, r in groups if p == "claim"})
        | Q(evidence_id__in={r for _, p, r in groups if p == "evidence"})
    )
    latest: dict[tuple[int, str, int], Notification] = {}
    for notification in recent.order_by("updated"):
        page = "claim" if notification.claim_id else "evidence"
        latest[
            (notification.recipient_id, page, notification.claim_id or notification.evidence_id)
        ] = notification
    actors = {e.user_id for _, entries in groups.values() for e in entries if e.user_id}
    existing = set(get_user_model().objects.filter(pk__in=actors).values_list("pk", flat=True))
    chosen = deliveries_of(recipients)
    languages = dict(
        Preferences.objects.filter(user_id__in=recipients).values_list("user_id", "language")
    )
    changed, made = [], []
    for (user, page, record), (place, entries) in groups.items():
        notification = latest.get((user, page, record))
        if notification is not None:
            entries = [e for e in entries if e.seq > (notification.last_seq or 0)]
            if not entries:
                continue
            names = set(notification.others) | {e.username for e in entries}
            notification.others = sorted(names - {notification.actor_name} - {""})
            notification.count += len(entries)
        else:
            first = entries[0]
            notification = Notification(
                recipient_id=user,
                kind=Kind.ACTIVITY,
                investigation_id=place,
                actor_id=first.user_id if first.user_id in existing else None,
                actor_name=first.username,
                others=sorted({e.username for e in entries} - {first.username, ""}),
                count=len(entries),
                mail=MAIL_FOR[delivery_for(chosen, user, Kind.ACTIVITY)],
                **{f"{page}_id": record},
            )
        notification.last_seq = entries[-1].seq
        with translation.override(languages.get(user) or settings.LANGUAGE_CODE):
            notification.excerpt = describe_entry(entries[-1])
        notification.updated = now
        (made if notification.pk is None else changed).append(notification)
    Notification.objects.bulk_create(made)
    Notification.objects.bulk_update(
        changed, ["others", "count", "last_seq", "excerpt", "updated"], batch_size=500
    )
    mail_soon(made, wait=burst())


# Saved searches ---------------------------------------------------------------------------


def _matching(search: SavedSearch, created_ids) -> int:
    """How many of the new records match the search with its owner's permissions now
    (none when its filters no longer hold for the owner)."""
    owner = search.owner
    forget_roles(owner)  # permissions of the moment, not of the object's past
    select = claim_list if search.target == SearchTarget.CLAIMS else evidence_list
    filterset = select(QueryDict(search.query), owner)
    if filterset.is_bound and not filterset.is_valid():
        return 0  # e.g. an investigation the owner no longer belongs to
    matching = filterset.qs.filter(pk__in=created_ids).exclude(created_by=owner)
    return matching.values("pk").count()


def run_alerts() -> int:
    """Tell the owners of saved searches with an alert of records added since the search
    last ran that match it; returns how many were told."""
    head = history.head_seq()
    told = 0
    searches = SavedSearch.objects.exclude(alert=Alert.OFF).filter(checked_seq__lt=head)
    for search in searches.select_related("owner").iterator(chunk_size=200):
        created = HistoryEntry.objects.filter(
            seq__gt=search.checked_seq,
            seq__lte=head,
            action="created",
            model=CREATED_MODELS[SearchTarget(search.target)],
        ).values("object_id")
        count = 0
        if search.owner.is_active:
            try:
                count = _matching(search, Subquery(created))
            except Exception:  # one broken search must not stop everyone's alerts
                log.exception("saved search %s could not run", search.pk)
        with transaction.atomic():
            SavedSearch.objects.filter(pk=search.pk).update(checked_seq=head)
            if count:
                told += 1
                _alert(search, count)
    return told


def _alert(search: SavedSearch, count: int) -> None:
    now = timezone.now()
    recent = (
        Notification.objects.filter(search=search, read_at__isnull=True, updated__gte=now - burst())
        .order_by("-updated")
        .first()
    )
    if recent is not None:
        recent.count += count
        recent.updated = now
        recent.save(update_fields=["count", "updated"])
        return
    mail = {Alert.IN_APP: Mail.NONE, Alert.EMAIL: Mail.DUE, Alert.DIGEST: Mail.DIGEST}
    notification = Notification.objects.create(
        recipient_id=search.owner_id,
        kind=Kind.SEARCH,
        search=search,
        count=count,
        updated=now,
        mail=mail[Alert(search.alert)],
    )
    mail_soon([notification], wait=None)
