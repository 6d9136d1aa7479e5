"""Progress: a tqdm bar on a terminal, a dozen lines at most anywhere else."""

import io

from core.progress import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_a_tenth_at_most_for_thousands_of_items():
    log = io.StringIO()
    show = progress_bar("importing ", stream=log)
    for done in range(1, 6130):
        show(done, 6129)
    lines = log.getvalue().splitlines()
    assert len(lines) <= 11 and lines[-1] == "importing 6129/6129 (100%)"


def test_a_terminal_gets_a_bar():
    terminal = _Terminal()
    show = progress_bar("exporting ", stream=terminal)
    for done in range(1, 51):
        show(done, 50)
    assert "50/50" in terminal.getvalue() and "exporting" in terminal.getvalue()
    assert "\r" in terminal.getvalue()  # redrawn in place, not one line an item


def test_a_single_step_shows_nothing():
    log = io.StringIO()
    progress_bar(stream=log)(1, 1)
    assert log.getvalue() == ""
