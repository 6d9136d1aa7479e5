"""What every importer shares: the error that names where a file went wrong, and the tally."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ImportFailed(Exception):
    """A file that cannot be imported: `location` is "path:line" (line 0: the whole file)."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.location = f"{path}:{line}"


@dataclass
class ImportReport:
    """What a run did with each item: every outcome counted, every skip and every warning
    named in `notes` (path:line and why)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # another file of an event already imported in the same run
    skipped: int = 0
    warnings: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def warn(self, note: str) -> None:
        self.warnings += 1
        self.notes.append(_("warning: %(note)s") % {"note": note})

    def skip(self, note: str) -> None:
        self.skipped += 1
        self.notes.append(_("skipped %(note)s") % {"note": note})

    def __str__(self) -> str:
        parts = [
            _("%(count)d created") % {"count": self.created},
            _("%(count)d updated") % {"count": self.updated},
            _("%(count)d unchanged") % {"count": self.unchanged},
            _("%(count)d merged") % {"count": self.merged},
            _("%(count)d skipped") % {"count": self.skipped},
            ngettext("%(count)d warning", "%(count)d warnings", self.warnings)
            % {"count": self.warnings},
        ]
        return ", ".join(parts)


def text_line(file: Path, offset: int) -> int:
    """The line of a byte offset, for error messages."""
    with open(file, "rb") as data:
        return data.read(offset).count(b"\n") + 1


# Importers give records stable UUIDs (from the source's content, or the exporting
# instance's), so that importing twice finds what the first run made. A UUID is unique in
# the whole database, yet two investigations may import the same source: the second gets a
# UUID derived from the first and its own investigation, as stable, and neither sees the other.


def _derived(uuid: uuid_module.UUID, investigation) -> uuid_module.UUID:
    return uuid_module.uuid5(uuid, f"investigation:{investigation.pk}")


def uuids_in(
    model: type[models.Model], investigation, uuids: Iterable[uuid_module.UUID]
) -> dict[uuid_module.UUID, uuid_module.UUID]:
    """{UUID: the UUID a new imported record of `model` gets in `investigation`}, in one
    query."""
    uuids = set(uuids)
    others = model._default_manager.filter(uuid__in=uuids).exclude(investigation=investigation)
    taken = set(others.values_list("uuid", flat=True))
    return {uuid: _derived(uuid, investigation) if uuid in taken else uuid for uuid in uuids}


def uuid_in(model: type[models.Model], investigation, uuid: uuid_module.UUID) -> uuid_module.UUID:
    """The UUID a new imported record of `model` gets in `investigation`."""
    return uuids_in(model, investigation, [uuid])[uuid]


def imported_records(model: type[models.Model], investigation, uuids: Iterable[uuid_module.UUID]):
    """{UUID: the record an importer made in `investigation` under it (see uuid_in)} for
    those of `uuids` that have one, in one query."""
    derived = {_derived(uuid, investigation): uuid for uuid in uuids}
    candidates = [*derived.values(), *derived]
    found = model._default_manager.filter(investigation=investigation, uuid__in=candidates)
    records = {}
    for record in found.select_related("investigation"):
        records.setdefault(derived.get(record.uuid, record.uuid), record)
    return records


def imported_record(model: type[models.Model], investigation, uuid: uuid_module.UUID):
    """The record an importer made in `investigation` under `uuid` (see uuid_in), or None."""
    return imported_records(model, investigation, [uuid]).get(uuid)
