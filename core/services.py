"""Write helpers both apps' services use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def validated_create_many(
    instances: list[M], *, by, then: Callable[[list[M]], None] | None = None
) -> list[M]:
    """Save many new records of one model in a few INSERTs, and record each in the history.

    Each is validated as validated_save() validates one (field validators, `clean()`), but
    without the checks that cost a query a row: related rows are the caller's objects, so
    they exist, and the database constraints (uniqueness, checks) are enforced by the
    database on insert, which fails the caller's transaction as a whole. For writers of
    thousands of rows (importers), in a transaction; they read what they may duplicate
    first. `then` runs after the insert and before the history is written: it sets
    many-to-many fields, and prefetches them when the model's history shows them.
    """
    if not instances:
        return instances
    model = type(instances[0])
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for instance in instances:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    model._default_manager.bulk_create(instances, batch_size=500)
    if then is not None:
        then(instances)
    history.record_many(((instance, None, None) for instance in instances), user=by)
    return instances


def created(instance: M, *, by) -> M:
    """Record a new record in the history (call after saving it)."""
    history.record(instance=instance, user=by, before=None)
    return instance


def deleted(instance: Model, *, by) -> None:
    """Record, then delete, a record."""
    with transaction.atomic():
        history.record(instance=instance, user=by, before=history.snapshot(instance), deleted=True)
        instance.delete()
