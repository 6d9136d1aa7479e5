"""What every importer shares: the error that names where a file went wrong, and the tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ImportFailed(Exception):
    """A file that cannot be imported: `location` is "path:line" (line 0: the whole file)."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.location = f"{path}:{line}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.skipped} skipped"


def text_line(file: Path, offset: int) -> int:
    """The line of a byte offset, for error messages."""
    with open(file, "rb") as data:
        return data.read(offset).count(b"\n") + 1
