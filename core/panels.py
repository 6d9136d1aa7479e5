"""Sections an app above the record pages adds to them (comments, assignees, watching),
so that the apps owning those pages need not name it. A provider is registered for a page
("claim", "evidence") and a slot ("head": under the record's title, "discussion": beside
its history); the page's view asks for its panels and its template includes them.

A provider costs a fixed number of queries whatever the record holds: page query counts
are tested with the panels in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[HttpRequest, Model], Panel | None]
_providers: dict[tuple[str, str], list[Provider]] = {}
SLOTS = ("head", "discussion")


def register(page: str, slot: str, provider: Provider) -> None:
    if slot not in SLOTS:
        raise ValueError(f"No panel slot called {slot}.")
    providers = _providers.setdefault((page, slot), [])
    if provider not in providers:
        providers.append(provider)


def for_page(page: str, request: HttpRequest, record: Model) -> dict[str, list[Panel]]:
    """{slot: [panels]} for a record page's template."""
    return {
        slot: [
            panel
            for provider in _providers.get((page, slot), ())
            if (panel := provider(request, record)) is not None
        ]
        for slot in SLOTS
    }
