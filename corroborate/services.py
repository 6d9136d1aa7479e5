"""Write helpers both apps' services use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

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
    expected_version: int | None = None,
) -> M:
    """Set the given fields and save, refusing any field outside `allowed`.

    For a versioned model, `expected_version` is the version the editor started from: if
    the stored row has moved on, EditConflict is raised (with the stored row) and nothing
    is written. Every save bumps the version.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))} here.")
    with transaction.atomic():
        if hasattr(instance, "version"):
            # The row lock makes check-and-bump one step on PostgreSQL; SQLite serialises
            # writers anyway.
            stored = type(instance).objects.select_for_update().get(pk=instance.pk)
            if expected_version is not None and stored.version != expected_version:
                raise EditConflict(stored)
            instance.version = stored.version + 1
        for field, value in data.items():
            setattr(instance, field, value)
        return validated_save(instance)
