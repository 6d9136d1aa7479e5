"""Progress for management commands, on standard error: a real bar on a terminal (tqdm),
and on anything else (a log, a pipe) a line at each tenth of the work at most, so that a
run of thousands of items writes a dozen lines, not thousands."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tqdm import tqdm

STEPS = 10  # lines written to a non-terminal over a whole run, at most


def progress_bar(label: str = "", stream=None) -> Callable[[int, int], None]:
    """A callback `(done, total)`; silent for a single step. `label` names the work
    ("exporting")."""
    label = str(label).strip()
    prefix = f"{label} " if label else ""
    out = stream or sys.stderr
    # A command's self.stderr wraps the real stream and ends every write with a newline.
    raw = getattr(out, "_out", out)
    bar: tqdm | None = None
    last_step = -1

    def show(done: int, total: int) -> None:
        nonlocal bar, last_step
        if total < 2:
            return
        if raw.isatty():
            if bar is None:
                bar = tqdm(total=total, desc=label or None, file=raw, unit="item")
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
            return
        step = done * STEPS // total
        if step > last_step:
            last_step = step
            raw.write(f"{prefix}{done}/{total} ({100 * done // total}%)\n")
            raw.flush()

    return show
