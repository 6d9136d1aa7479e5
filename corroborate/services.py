"""Write helpers both apps' services use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def validated_save(instance: M) -> M:
    """Validate fields, `clean()` and database constraints, then save."""
    instance.full_clean()
    instance.save()
    return instance


def model_update(
    *,
    instance: M,
    data: dict[str, Any],
    allowed: Iterable[str],
) -> M:
    """Set the given fields and save, refusing any field outside `allowed`."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))} here.")
    for field, value in data.items():
        setattr(instance, field, value)
    return validated_save(instance)
