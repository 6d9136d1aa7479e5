"""Edits that collide: the second save must not silently overwrite the first.

An edit form carries the version it was loaded at and a signed snapshot of what the editor
saw. If the record moved on meanwhile, the service raises EditConflict; the form then shows
what changed (snapshot against the stored record), keeps the editor's input, and takes the
current version, so that saving again is a deliberate overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.forms import apply_validation_error
from core.services import EditConflict

T = TypeVar("T")

_SALT = "corroborate.edit-snapshot"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


class ConflictCheckedForm(forms.Form):
    """Mixin for edit forms. Subclasses implement `snapshot_of(instance)`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    snapshot = forms.CharField(widget=forms.HiddenInput, required=False)

    conflict_changes: list[Change] | None = None

    def snapshot_of(self, instance) -> dict[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def start_from(self, instance) -> None:
        """Record, in the hidden fields, the version and content the editor starts from."""
        self.initial["version"] = instance.version
        self.initial["snapshot"] = signing.dumps(self.snapshot_of(instance), salt=_SALT)

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def conflict_record(self, current):
        """The stored record as the conflict report compares it (a subclass may load more)."""
        return current

    def write(self, save: Callable[[], T]) -> T | None:
        """Run a service write for this form. An edit conflict or a refusal is shown on the
        form, and None returned; else the service's result."""
        try:
            return save()
        except EditConflict as conflict:
            self.report_conflict(self.conflict_record(conflict.current))
        except ValidationError as error:
            apply_validation_error(self, error)
        return None

    def report_conflict(self, current) -> None:
        """Show what changed since the editor loaded the page; keep their input."""
        try:
            before = signing.loads(self.data.get(self.add_prefix("snapshot"), ""), salt=_SALT)
        except signing.BadSignature:
            before = {}
        after = self.snapshot_of(current)
        self.conflict_changes = [
            Change(label, before.get(label, ""), value)
            for label, value in after.items()
            if before.get(label, "") != value
        ]
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current.version)
        self.data[self.add_prefix("snapshot")] = signing.dumps(after, salt=_SALT)
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "Someone else saved this while you were editing. Their changes are "
                    "listed below; your input is kept. Save again to replace their version "
                    "with yours."
                ),
                code="conflict",
            ),
        )
