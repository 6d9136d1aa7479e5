"""The record's history: every change made through the services, as a hash-chained,
append-only log.

A model is tracked by declaring `HISTORY = Tracked(...)` on itself: which record pages show
its changes and which of its fields are bookkeeping, so that this module names no app.
Services call `record()` with a snapshot of the record before the change (None for a new
one). `verify()` walks the chain.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import notices
from core.models import GENESIS_HASH, HistoryEntry, HistoryHead

# The record pages a change can be shown on; each is a column of HistoryEntry.
PAGES = ("claim", "claimant", "evidence")

# Bookkeeping every model has, never part of a record's meaning.
_ALWAYS_SKIPPED = frozenset({"id", "created", "updated", "version", "created_by"})


@dataclass(frozen=True)
class Tracked:
    """What the history needs to know of a model, declared on it as `HISTORY`.

    `shown_on` maps a page in PAGES to the attribute that holds that page's record id
    ("pk" for the record's own page, "claim_id" for a record shown on its claim's page);
    `skip` names fields that are derived or bookkeeping; `many` names many-to-many fields
    recorded as sorted lists of names.
    """

    shown_on: dict[str, str]
    skip: frozenset[str] = frozenset()
    many: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.shown_on) - set(PAGES)
        if unknown:
            raise ValueError(f"No history page called {', '.join(sorted(unknown))}.")


def _tracked(instance: models.Model) -> Tracked:
    try:
        return type(instance).HISTORY
    except AttributeError:
        name = type(instance).__name__
        raise TypeError(f"{name} declares no HISTORY: it is not tracked.") from None


class Column(NamedTuple):
    field: models.Field
    label: str
    choices: dict[Any, str] | None
    many: bool


# The chain is written in one language whoever writes it, so that an entry reads the same
# (and a field is found by its label, e.g. "Review status") whatever the writer's language.
HISTORY_LANGUAGE = "en"


@functools.lru_cache(maxsize=256)
def _columns(model: type[models.Model]) -> tuple[Column, ...]:
    """What a snapshot of `model` holds, with its labels (computed once: translating every
    label of every record is most of a bulk import's time)."""
    with translation.override(HISTORY_LANGUAGE):
        return _columns_of(model)


def _columns_of(model: type[models.Model]) -> tuple[Column, ...]:
    tracked = model.HISTORY
    skipped = _ALWAYS_SKIPPED | tracked.skip
    columns = []
    for field in model._meta.concrete_fields:
        if field.name not in skipped:
            choices = {k: str(v) for k, v in field.flatchoices} if field.choices else None
            columns.append(Column(field, str(field.verbose_name).capitalize(), choices, False))
    for name in tracked.many:
        field = model._meta.get_field(name)
        columns.append(Column(field, str(field.verbose_name).capitalize(), None, True))
    return tuple(columns)


def _value(instance: models.Model, column: Column) -> Any:
    field = column.field
    if column.many:
        return sorted(str(related) for related in getattr(instance, field.name).all())
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return None
    if field.is_relation:
        related = getattr(instance, field.name)
        return f"{related} (#{value})"
    if column.choices is not None:
        return column.choices.get(value, str(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # UUID, Decimal, files: their text form


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's meaningful values, by field label, as JSON-friendly values; its declared
    many-to-many fields as sorted lists of names."""
    _tracked(instance)
    columns = _columns(type(instance))
    return {column.label: _value(instance, column) for column in columns}


def _pages(instance: models.Model) -> dict[str, int | None]:
    """The HistoryEntry columns naming the pages that show this change."""
    shown_on = _tracked(instance).shown_on
    return {
        f"{page}_id": getattr(instance, shown_on[page]) if page in shown_on else None
        for page in PAGES
    }


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of an entry's content in canonical JSON, including the previous hash."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(datetime.UTC).isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "model": entry.model,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "claim_id": entry.claim_id,
        "evidence_id": entry.evidence_id,
        "claimant_id": entry.claimant_id,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }


def _change(
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    deleted: bool,
) -> tuple[str, dict[str, Any]] | None:
    """The action and the changed values of one change; None when nothing changed."""
    if after is None and not deleted:
        after = snapshot(instance)
    if deleted:
        return "deleted", {k: [v, None] for k, v in (before or {}).items() if v}
    if before is None:
        return "created", {k: [None, v] for k, v in after.items() if v not in (None, [])}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    return ("changed", changes) if changes else None


def _append(changes: list[tuple[models.Model, str, dict[str, Any]]], user) -> list[HistoryEntry]:
    """Append entries to the chain, in order, in one step."""
    if not changes:
        return []
    with transaction.atomic():
        # One writer at a time appends: the head row is locked until commit.
        head, _ = HistoryHead.objects.select_for_update().get_or_create(pk=1)
        entries = []
        for instance, action, values in changes:
            entry = HistoryEntry(
                seq=head.seq + 1,
                # Microseconds kept exactly as stored, so the hash can be recomputed.
                at=timezone.now(),
                user_id=getattr(user, "pk", None),
                username=getattr(user, "username", "") or "",
                action=action,
                model=instance._meta.label_lower,
                object_id=instance.pk,
                object_repr=str(instance)[:300],
                changes=values,
                prev_hash=head.hash,
                **_pages(instance),
            )
            entry.hash = entry_hash(_hashed_fields(entry))
            entries.append(entry)
            head.seq, head.hash = entry.seq, entry.hash
        HistoryEntry.objects.bulk_create(entries, batch_size=500)
        head.save(update_fields=["seq", "hash"])
        notices.announce(notices.HistoryAppended(tuple(entries)))
    return entries


def record(
    *,
    instance: models.Model,
    user,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None = None,
    deleted: bool = False,
) -> HistoryEntry | None:
    """Append one change to the chain; nothing is written when nothing changed."""
    change = _change(instance, before, after, deleted)
    if change is None:
        return None
    return _append([(instance, *change)], user)[0]


def record_many(
    changes: Iterable[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]], *, user
) -> list[HistoryEntry]:
    """Append many changes, (instance, before, after) each as in record(), by one user, in
    one step: the same entries record() would write one by one, in the order given."""
    made = []
    for instance, before, after in changes:
        if (change := _change(instance, before, after, deleted=False)) is not None:
            made.append((instance, *change))
    return _append(made, user)


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def verify() -> Iterator[Problem]:
    """Walk the chain in order; yield each place where it was edited, cut or spliced."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    for entry in HistoryEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq > expected_seq:
            missing = (
                f"{expected_seq}"
                if entry.seq == expected_seq + 1
                else (f"{expected_seq}–{entry.seq - 1}")
            )
            yield Problem(expected_seq, _("entry %(seq)s was removed") % {"seq": missing})
        elif entry.seq < expected_seq:
            yield Problem(
                entry.seq, _("entry %(seq)d appears twice (an insertion)") % {"seq": entry.seq}
            )
        if entry.prev_hash != prev_hash:
            yield Problem(
                entry.seq,
                _(
                    "entry %(seq)d does not follow the entry before it "
                    "(an entry was removed or inserted before it)"
                )
                % {"seq": entry.seq},
            )
        if entry_hash(_hashed_fields(entry)) != entry.hash:
            yield Problem(
                entry.seq, _("entry %(seq)d was edited after it was written") % {"seq": entry.seq}
            )
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    head = HistoryHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        yield Problem(
            expected_seq,
            _(
                "the chain ends at entry %(last)d but its head says %(head)d: "
                "entries were removed from the end"
            )
            % {"last": expected_seq - 1, "head": head.seq},
        )


def field_label(stored: str) -> str:
    """A field's label as the history stores it (in English, see HISTORY_LANGUAGE), in the
    reader's language: the label is the field's verbose name, capitalised. Edit-conflict
    tables name their fields the same way."""
    if not stored:
        return stored
    translated = translation.gettext(stored[0].lower() + stored[1:])
    return translated[0].upper() + translated[1:]


@functools.cache
def _choice_labels() -> dict[str, dict[str, Any]]:
    """For each field label the history stores, the English labels of its choices and the
    choices' own (translatable) labels: {"Verdict": {"Supported": _("Supported"), ...}}."""
    from django.apps import apps

    found: dict[str, dict[str, Any]] = {}
    for model in apps.get_models():
        if not hasattr(model, "HISTORY"):
            continue
        for column in _columns(model):
            if column.choices is not None:
                labels = dict(column.field.flatchoices)
                found.setdefault(column.label, {}).update(
                    {english: labels[key] for key, english in column.choices.items()}
                )
    return found


def field_value(value: Any, stored_label: str) -> Any:
    """A value the history stores, in the reader's language when it is one of its field's
    choices (stored by its English label: "Supported"); anything else as it is."""
    if not isinstance(value, str):
        return value
    return str(_choice_labels().get(stored_label, {}).get(value, value))


def head_seq() -> int:
    """The last entry's sequence number (0 before the first)."""
    head = HistoryHead.objects.filter(pk=1).values_list("seq", flat=True).first()
    return head or 0


def head_hash() -> str:
    head = HistoryHead.objects.filter(pk=1).first()
    return head.hash if head else GENESIS_HASH


def for_page(**parent: int) -> models.QuerySet[HistoryEntry]:
    """The history shown on a claim, claimant or evidence page, newest first."""
    return HistoryEntry.objects.filter(**parent).order_by("-seq")
