"""Reads of working together: a record's comments and assignees, the inbox, what is
assigned to me, an investigation's activity, saved searches. Every read is cut to the
reader's investigations."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import Claim
from core.models import HistoryEntry
from evidence.models import EvidenceItem
from investigations.access import scoped, visible_ids
from investigations.models import Investigation, Membership, Role
from teamwork.models import (
    Assignment,
    Comment,
    Kind,
    Notification,
    SavedSearch,
    SearchTarget,
    Watch,
)
from teamwork.services import Record, on_record


def _where(record: Record) -> dict:
    return {k: v for k, v in on_record(record).items() if k != "investigation_id"}


def comments_of(record: Record) -> list[Comment]:
    """The record's comments, oldest first, each with `earlier`: its texts before edits,
    newest first (two queries whatever the number of comments)."""
    comments = list(
        Comment.objects.filter(**_where(record)).select_related("author").order_by("created", "pk")
    )
    edited = [c.pk for c in comments if c.edited]
    earlier: dict[int, list[HistoryEntry]] = defaultdict(list)
    # Run even when nothing was edited, so that the page's query count never varies.
    entries = HistoryEntry.objects.filter(
        model="teamwork.comment", action="changed", object_id__in=edited
    ).order_by("-seq")
    for entry in entries:
        earlier[entry.object_id].append(entry)
    for comment in comments:
        comment.earlier = [
            (entry.at, (entry.changes.get("Text") or [""])[0]) for entry in earlier[comment.pk]
        ]
    return comments


def comments_for_dossier(claim: Claim, items: list[EvidenceItem]) -> list[Comment]:
    """The comments on a claim and on the evidence items its dossier includes (one query)."""
    return list(
        Comment.objects.filter(Q(claim=claim) | Q(evidence__in=items))
        .select_related("author")
        .order_by("created", "pk")
    )


def assignees_of(record: Record) -> list[Assignment]:
    return list(Assignment.objects.filter(**_where(record)).select_related("user"))


def is_watching(user, record: Record) -> bool:
    return Watch.objects.filter(user=user, **_where(record)).exists()


def members_for_mentions(investigation_id: int) -> list[dict[str, str]]:
    """The investigation's active members, for the mention suggestions (one query)."""
    rows = (
        Membership.objects.filter(investigation_id=investigation_id, user__is_active=True)
        .order_by("user__username")
        .values_list("user__username", "user__first_name", "user__last_name", "role")
    )
    return [
        {
            "username": name,
            "name": f"{first} {last}".strip(),
            "worker": Role(role).allows(Role.RESEARCHER),
        }
        for name, first, last, role in rows
    ]


# Notifications ------------------------------------------------------------------------------


def available(notification: Notification, user) -> bool:
    """Whether the user may still open what the notification points to: not when it is in
    an investigation they left (the notification then says nothing of it)."""
    return notification.investigation_id is None or notification.investigation_id in visible_ids(
        user
    )


def _visible(user) -> Q:
    return Q(investigation__isnull=True) | Q(investigation_id__in=visible_ids(user))


def inbox(user, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their lines show."""
    notifications = Notification.objects.filter(recipient=user).select_related(
        "claim", "evidence", "search"
    )
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-updated", "-pk")


def unread_count(user) -> int:
    """Unread notifications the user may still open (one query)."""
    return Notification.objects.filter(_visible(user), recipient=user, read_at__isnull=True).count()


def headline(notification: Notification, user) -> str:
    """What a notification says, in one sentence (the inbox, the API and mail use it)."""
    if not available(notification, user):
        return _("Unavailable: this is about an investigation you no longer belong to.")
    record = notification.record
    if notification.kind == Kind.SEARCH:
        what = (
            _("claims")
            if notification.search and notification.search.target == SearchTarget.CLAIMS
            else _("evidence items")
        )
        name = notification.search.name if notification.search else _("a deleted search")
        return _("%(count)s new %(what)s match your saved search “%(name)s”.") % {
            "count": notification.count,
            "what": what,
            "name": name,
        }
    title = f"“{record}”" if record is not None else _("a record that was deleted")
    actor = notification.actor_name or _("Someone")
    sentences = {
        Kind.MENTION: _("%(actor)s mentioned you in a comment on %(title)s."),
        Kind.ASSIGNMENT: _("%(actor)s assigned you to %(title)s."),
        Kind.REVIEW: _("%(actor)s reviewed your evidence %(title)s."),
        Kind.NEEDS_INFO: _("%(actor)s asks for more information on your evidence %(title)s."),
        Kind.ACTIVITY: _("%(actor)s changed %(title)s."),
    }
    if notification.kind == Kind.ACTIVITY and notification.count > 1:
        people = ", ".join([actor, *notification.others])
        return _("%(count)s changes to %(title)s by %(people)s.") % {
            "count": notification.count,
            "title": title,
            "people": people,
        }
    return sentences[Kind(notification.kind)] % {"actor": actor, "title": title}


def target_url(notification: Notification) -> str | None:
    """Where the notification leads: its record, or its saved search's list."""
    if notification.claim_id:
        return reverse("claims:claim_detail", args=[notification.claim_id])
    if notification.evidence_id:
        return reverse("evidence:evidence_detail", args=[notification.evidence_id])
    if notification.search_id:
        return search_url(notification.search)
    return None


# Saved searches and assignments --------------------------------------------------------------


def search_url(search: SavedSearch) -> str:
    list_name = (
        "claims:claim_list" if search.target == SearchTarget.CLAIMS else "evidence:evidence_list"
    )
    return reverse(list_name) + (f"?{search.query}" if search.query else "")


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=user).order_by("target", "name")


def assigned_to(user, *, limit: int = 8) -> tuple[list[Claim], list[EvidenceItem]]:
    """Claims and evidence assigned to the user in their investigations, recent first."""
    mine = Assignment.objects.filter(user=user)
    claims = (
        scoped(Claim.objects, user)
        .filter(Exists(mine.filter(claim=OuterRef("pk"))))
        .order_by("-updated")[:limit]
    )
    items = (
        scoped(EvidenceItem.objects, user)
        .filter(Exists(mine.filter(evidence=OuterRef("pk"))))
        .order_by("-updated")[:limit]
    )
    return list(claims), list(items)


# Activity -----------------------------------------------------------------------------------

ACTIVITY_KINDS = {
    "comments": (_("Comments"), Q(model="teamwork.comment")),
    "reviews": (
        _("Reviews"),
        Q(model="evidence.evidenceitem", action="changed", changes__has_key="Review status"),
    ),
    "assignments": (_("Assignments"), Q(model="teamwork.assignment")),
    "claims": (_("Claims"), Q(model__startswith="claims.")),
    "evidence": (_("Evidence"), Q(model__startswith="evidence.")),
}


def activity(investigation: Investigation) -> QuerySet[HistoryEntry]:
    """The history of the investigation's claims and evidence, newest first."""
    claims = Claim.objects.filter(investigation=investigation).values("pk")
    items = EvidenceItem.objects.filter(investigation=investigation).values("pk")
    return HistoryEntry.objects.filter(Q(claim_id__in=claims) | Q(evidence_id__in=items)).order_by(
        "-seq"
    )
