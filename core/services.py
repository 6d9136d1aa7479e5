"""Write helpers both apps' services use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

from core import history

M = TypeVar("M", bound=Model)


def validated_save(instance: M) -> M:
    """Validate fields, `clean()` and database constraints, then save."""
    instance.full_clean()
    instance.save()
    return instance


class EditConflict(Exception):
    """Someone else saved the record since the editor loaded it."""

    def __init__(self, current: Model) -> None:
        super().__init__(f"{current._meta.verbose_name} was changed by someone else.")
        self.current = current


def model_update(
    *,
    instance: M,
    data: dict[str, Any],
    allowed: Iterable[str],
    by,
    expected_version: int | None = None,
) -> M:
    """Set the given fields, save, and record the change in the history.

    Refuses any field outside `allowed`. For a versioned model, `expected_version` is the
    version the editor started from: if the stored row has moved on, EditConflict is raised
    (with the stored row) and nothing is written. Every save bumps the version.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))} here.")
    with transaction.atomic():
        # The row lock makes check-and-bump one step on PostgreSQL; SQLite serialises
        # writers anyway. The stored row is also what the history compares with.
        stored = type(instance).objects.select_for_update().get(pk=instance.pk)
        if hasattr(instance, "version"):
            if expected_version is not None and stored.version != expected_version:
                raise EditConflict(stored)
            instance.version = stored.version + 1
        before = history.snapshot(stored)
        for field, value in data.items():
            setattr(instance, field, value)
        validated_save(instance)
        history.record(instance=instance, user=by, before=before)
        return instance


def created(instance: M, *, by) -> M:
    """Record a new record in the history (call after saving it)."""
    history.record(instance=instance, user=by, before=None)
    return instance


def deleted(instance: Model, *, by) -> None:
    """Record, then delete, a record."""
    with transaction.atomic():
        history.record(instance=instance, user=by, before=history.snapshot(instance), deleted=True)
        instance.delete()
