"""What the domain services announce to the apps above them, so that they need not name
those apps: the history's new entries and a review decision. An app that acts on them
(teamwork turns them into notifications) listens from its AppConfig.ready().

Listeners run inside the writer's transaction: what they write commits or rolls back with
the change they heard of. They must be quick (a few queries); heavier work goes to the
task queue after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_listeners: dict[type, list[Callable[[Any], None]]] = {}


@dataclass(frozen=True)
class HistoryAppended:
    """Entries were added to the history in one step (`bulk`: more than one record, as
    an import writes them)."""

    entries: tuple[Any, ...]

    @property
    def bulk(self) -> bool:
        return len(self.entries) > 1


@dataclass(frozen=True)
class ReviewDecided:
    """A reviewer decided on an evidence item (or set it back to pending)."""

    item: Any
    by: Any
    status: str
    note: str
    seq: int | None  # the history entry of the decision


def listen(kind: type, listener: Callable[[Any], None]) -> None:
    """Call `listener(notice)` for every notice of `kind`; registering twice is harmless."""
    listeners = _listeners.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


def announce(notice: Any) -> None:
    for listener in _listeners.get(type(notice), ()):
        listener(notice)
