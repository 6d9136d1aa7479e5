"""A text progress bar for management commands, on standard error."""

from __future__ import annotations

import sys
from collections.abc import Callable


def progress_bar(label: str = "", stream=None) -> Callable[[int, int], None]:
    """A callback `(done, total)` that redraws one line; silent for a single step."""
    out = stream or sys.stderr

    def write(text: str) -> None:
        # A command's self.stderr would end every write with a newline; a bar must not.
        if hasattr(out, "ending"):
            out.write(text, ending="")
        else:
            out.write(text)

    def show(done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = round(width * done / total)
        write(f"\r{label}[{'#' * filled}{'-' * (width - filled)}] {done}/{total}")
        if done == total:
            write("\n")
        out.flush()

    return show
