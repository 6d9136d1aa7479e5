"""Writes of working together: comments, assignments, watching, notifications, delivery
choices and saved searches. The web pages, the API and the admin call these.

Who may do what: commenting and assigning need the researcher role in the record's
investigation (and it open); anyone who may see a record may watch it. Only members are
mentioned, assigned or told anything, and only while they are members.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim
from core import history
from core.services import deleted, validated_save
from core.tasks import enqueue
from evidence.models import EvidenceItem, ReviewStatus
from investigations.access import role_in
from investigations.models import Membership, Role
from teamwork import markup
from teamwork.models import (
    DEFAULT_DELIVERY,
    Alert,
    Assignment,
    Comment,
    Delivery,
    DeliveryChoice,
    Kind,
    Mail,
    Notification,
    SavedSearch,
    SearchTarget,
    Watch,
)

User = get_user_model()
Record = Claim | EvidenceItem


def on_record(record: Record) -> dict[str, Any]:
    """The fields that tie a comment, assignment, watch or notification to `record`."""
    if isinstance(record, Claim):
        return {"claim": record, "investigation_id": record.investigation_id}
    if isinstance(record, EvidenceItem):
        return {"evidence": record, "investigation_id": record.investigation_id}
    raise TypeError(f"{type(record).__name__} takes no comments.")


def burst() -> datetime.timedelta:
    """Changes to one record within this time make one notification."""
    return datetime.timedelta(minutes=settings.NOTIFICATION_BURST_MINUTES)


def _require(by, record: Record, needed: Role) -> None:
    role = role_in(by, record.investigation_id)
    if role is None:
        raise PermissionDenied(_("You are not a member of this record's investigation."))
    if not role.allows(needed):
        raise PermissionDenied(
            _("Your role here (%(role)s) does not allow this.") % {"role": role.label}
        )


def _ensure_open(record: Record) -> None:
    record.investigation.ensure_open()


def members_of(investigation_id: int, *, at_least: Role = Role.VIEWER) -> dict[str, Any]:
    """The investigation's active members holding `at_least` that role, by case-folded
    user name (one query)."""
    memberships = Membership.objects.filter(
        investigation_id=investigation_id, user__is_active=True
    ).select_related("user")
    return {
        m.user.username.casefold(): m.user for m in memberships if Role(m.role).allows(at_least)
    }


def still_members(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (user id, investigation id) pairs are memberships of active users now."""
    pairs = set(pairs)
    if not pairs:
        return set()
    users = {user for user, _ in pairs}
    places = {place for _, place in pairs}
    found = Membership.objects.filter(
        user_id__in=users, investigation_id__in=places, user__is_active=True
    ).values_list("user_id", "investigation_id")
    return pairs & set(found)


# Notifications ------------------------------------------------------------------------------


def deliveries_of(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """{(user id, kind): delivery} for everything the users chose (defaults elsewhere)."""
    rows = DeliveryChoice.objects.filter(user_id__in=set(user_ids))
    return {(row.user_id, row.kind): row.delivery for row in rows}


def delivery_for(chosen: dict[tuple[int, str], str], user_id: int, kind: str) -> str:
    return chosen.get((user_id, kind), DEFAULT_DELIVERY[Kind(kind)])


MAIL_FOR = {Delivery.IN_APP: Mail.NONE, Delivery.EMAIL: Mail.DUE, Delivery.DIGEST: Mail.DIGEST}


def mail_soon(notifications: list[Notification], *, wait: datetime.timedelta | None) -> None:
    """Queue the mail of notifications due at once, after the commit (`wait`: let more
    changes to the same record fold in before the mail says what happened)."""
    from teamwork import tasks

    for notification in notifications:
        if notification.mail == Mail.DUE:
            enqueue(
                tasks.mail_notification,
                notification.pk,
                countdown=int(wait.total_seconds()) if wait else 0,
            )


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    record: Record,
    actor,
    excerpt: str = "",
    seq: int | None = None,
) -> list[Notification]:
    """Tell each recipient (members of the record's investigation, never the actor) about
    `record`; each gets it as they chose for `kind`."""
    recipients = [user for user in recipients if user.pk != getattr(actor, "pk", None)]
    if not recipients:
        return []
    chosen = deliveries_of(user.pk for user in recipients)
    now = timezone.now()
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                actor_name=getattr(actor, "username", "") or "",
                excerpt=excerpt[:500],
                last_seq=seq,
                updated=now,
                mail=MAIL_FOR[delivery_for(chosen, user.pk, kind)],
                **on_record(record),
            )
            for user in recipients
        ]
    )
    mail_soon(made, wait=None)
    return made


@transaction.atomic
def notification_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def deliveries_set(*, user, choices: dict[str, str]) -> None:
    """How `user` wants each kind of notification ({kind: delivery})."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValidationError(_("Unknown notification kind or delivery."), code="invalid")
        DeliveryChoice.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


# Watching -----------------------------------------------------------------------------------


def watch_set(*, record: Record, user, watching: bool) -> bool:
    """Start or stop watching a record (anyone who may see it); returns whether they do."""
    _require(user, record, Role.VIEWER)
    where = on_record(record)
    if watching:
        try:
            with transaction.atomic():
                Watch.objects.get_or_create(user=user, **where)
        except IntegrityError:
            pass  # a second click raced the first: watching either way
    else:
        Watch.objects.filter(user=user, **where).delete()
    return watching


def _watch(user, record: Record) -> None:
    try:
        with transaction.atomic():
            Watch.objects.get_or_create(user=user, **on_record(record))
    except IntegrityError:
        pass


def watches_on_create(entries) -> None:
    """Whoever creates a claim or an evidence item (one at a time: not an import's
    thousands) watches it."""
    models = {"claims.claim": Claim, "evidence.evidenceitem": EvidenceItem}
    for entry in entries:
        model = models.get(entry.model)
        if entry.action == "created" and model is not None and entry.user_id:
            investigation_id = (
                model.objects.filter(pk=entry.object_id)
                .values_list("investigation_id", flat=True)
                .first()
            )
            if investigation_id is not None:
                key = "claim_id" if model is Claim else "evidence_id"
                Watch.objects.bulk_create(
                    [
                        Watch(
                            user_id=entry.user_id,
                            investigation_id=investigation_id,
                            **{key: entry.object_id},
                        )
                    ],
                    ignore_conflicts=True,
                )


# Comments -----------------------------------------------------------------------------------


@dataclass
class Written:
    """A comment as written, with the @names that were not members (left as text)."""

    comment: Comment
    not_mentioned: list[str] = field(default_factory=list)


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")}, code="blank")
    if len(text) > Comment.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "A comment holds at most %(limit)s characters; this one has %(length)s. "
                    "Attach a long text as evidence instead."
                )
                % {"limit": f"{Comment.MAX_LENGTH:,}", "length": f"{len(text):,}"}
            },
            code="too_long",
        )
    return text


def _mentions(text: str, investigation_id: int) -> tuple[list[Any], list[str]]:
    names = markup.mentioned_names(text)
    if not names:
        return [], []
    members = members_of(investigation_id)
    found = [members[name.casefold()] for name in names if name.casefold() in members]
    missing = sorted(name for name in names if name.casefold() not in members)
    return found, missing


@transaction.atomic
def comment_create(*, record: Record, by, text: str) -> Written:
    """A member's comment on a record: they then watch it, the members it mentions are told,
    and the record's watchers hear of it (through the history)."""
    _require(by, record, Role.RESEARCHER)
    _ensure_open(record)
    text = _check_text(text)
    mentioned, missing = _mentions(text, record.investigation_id)
    comment = Comment(
        author=by,
        text=text,
        html=markup.render(text, [user.username for user in mentioned]),
        **on_record(record),
    )
    validated_save(comment)
    comment.mentioned.set(mentioned)
    entry = history.record(instance=comment, user=by, before=None)
    _watch(by, record)
    notify(
        recipients=mentioned,
        kind=Kind.MENTION,
        record=record,
        actor=by,
        excerpt=text,
        seq=entry and entry.seq,
    )
    return Written(comment, missing)


def _own(comment: Comment, by) -> None:
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Only its author may change or delete a comment."))


@transaction.atomic
def comment_update(*, comment: Comment, by, text: str) -> Written:
    """The author's new text; the earlier text stays in the history. Members mentioned for
    the first time are told."""
    _own(comment, by)
    _require(by, comment.record, Role.RESEARCHER)
    _ensure_open(comment.record)
    text = _check_text(text)
    stored = Comment.objects.select_for_update().get(pk=comment.pk)
    if stored.text == text:
        return Written(stored)
    before = history.snapshot(stored)
    mentioned, missing = _mentions(text, comment.investigation_id)
    already = set(stored.mentioned.values_list("pk", flat=True))
    comment.text, comment.edited = text, timezone.now()
    comment.html = markup.render(text, [user.username for user in mentioned])
    validated_save(comment)
    comment.mentioned.set(mentioned)
    entry = history.record(instance=comment, user=by, before=before)
    notify(
        recipients=[user for user in mentioned if user.pk not in already],
        kind=Kind.MENTION,
        record=comment.record,
        actor=by,
        excerpt=text,
        seq=entry and entry.seq,
    )
    return Written(comment, missing)


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> None:
    """The author removes their comment; the history keeps what it said."""
    _own(comment, by)
    _require(by, comment.record, Role.RESEARCHER)
    _ensure_open(comment.record)
    deleted(comment, by=by)


# Assignments --------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, record: Record, user, by) -> Assignment:
    """Assign a member who may work on the record (researcher or more); they are told and
    then watch it."""
    _require(by, record, Role.RESEARCHER)
    _ensure_open(record)
    role = role_in(user, record.investigation_id) if user.is_active else None
    if role is None:
        # Whether the account exists is not said: only that it cannot be assigned here.
        raise ValidationError(
            {"user": _("%(name)s is not a member of this investigation.") % {"name": user}},
            code="not_member",
        )
    if not role.allows(Role.RESEARCHER):
        raise ValidationError(
            {
                "user": _(
                    "%(name)s is a viewer here and cannot work on records: a lead can give "
                    "them the researcher role."
                )
                % {"name": user}
            },
            code="viewer",
        )
    where = on_record(record)
    if Assignment.objects.filter(user=user, **where).exists():
        raise ValidationError(
            {"user": _("%(name)s is already assigned to it.") % {"name": user}}, code="unique"
        )
    assignment = validated_save(Assignment(user=user, assigned_by=by, **where))
    entry = history.record(instance=assignment, user=by, before=None)
    _watch(user, record)
    notify(
        recipients=[user],
        kind=Kind.ASSIGNMENT,
        record=record,
        actor=by,
        seq=entry and entry.seq,
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by) -> None:
    _require(by, assignment.record, Role.RESEARCHER)
    _ensure_open(assignment.record)
    deleted(assignment, by=by)


# Reviews ------------------------------------------------------------------------------------


def review_decided(*, item: EvidenceItem, by, status: str, note: str, seq: int | None) -> None:
    """Tell whoever added the item of a reviewer's decision (or question) on it."""
    if status == ReviewStatus.PENDING or item.created_by_id == getattr(by, "pk", None):
        return
    if not still_members([(item.created_by_id, item.investigation_id)]):
        return
    kind = Kind.NEEDS_INFO if status == ReviewStatus.NEEDS_INFO else Kind.REVIEW
    label = ReviewStatus(status).label
    notify(
        recipients=[item.created_by],
        kind=kind,
        record=item,
        actor=by,
        excerpt=f"{label}: {note}" if note else str(label),
        seq=seq,
    )


# Saved searches -----------------------------------------------------------------------------

_NOT_SAVED = {"page", "format"}


def clean_query(query: str) -> str:
    """A list's query string without what is not a filter (the page number)."""
    from django.http import QueryDict

    params = QueryDict(query.lstrip("?"), mutable=True)
    for key in _NOT_SAVED:
        params.pop(key, None)
    return params.urlencode()


def _saved_search_check(search: SavedSearch) -> None:
    if search.target not in SearchTarget.values:
        raise ValidationError({"target": _("Choose the claim or the evidence list.")})
    if search.alert not in Alert.values:
        raise ValidationError({"alert": _("Unknown alert.")})
    if len(search.query) > 2000:
        raise ValidationError({"query": _("These filters are too long to keep.")})


@transaction.atomic
def saved_search_create(
    *, owner, name: str, target: str, query: str = "", alert: str = Alert.OFF
) -> SavedSearch:
    """Keep a filtered list under a name; alerts start with the records added from now on."""
    search = SavedSearch(
        owner=owner,
        name=(name or "").strip(),
        target=target,
        query=clean_query(query or ""),
        alert=alert or Alert.OFF,
        checked_seq=history.head_seq(),
    )
    _saved_search_check(search)
    return validated_save(search)


@transaction.atomic
def saved_search_update(*, search: SavedSearch, by, data: dict[str, Any]) -> SavedSearch:
    if search.owner_id != by.pk:
        raise PermissionDenied(_("This saved search is someone else's."))
    for name in ("name", "query", "alert"):
        if name in data:
            value = data[name] or ""
            if name == "name":
                value = value.strip()
            if name == "query":
                value = clean_query(value)
            setattr(search, name, value)
    _saved_search_check(search)
    return validated_save(search)


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, by) -> None:
    if search.owner_id != by.pk:
        raise PermissionDenied(_("This saved search is someone else's."))
    search.delete()
