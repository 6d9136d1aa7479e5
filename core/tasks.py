"""Sending work to the task queue, from services, once their transaction has committed.

A task must only run when what it works on is in the database, so nothing is sent before
the commit (and nothing at all if the transaction rolls back). Without a broker the task
runs right there, in the same process (CELERY_TASK_ALWAYS_EAGER).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def send(task, *args, unavailable: Callable[[str], None] | None = None, countdown: int = 0) -> None:
    """Send `task(*args)` now (to start `countdown` seconds later, where there is a broker);
    see enqueue()."""
    try:
        task.apply_async(args=args, **({"countdown": countdown} if countdown else {}))
    except OperationalError as error:
        log.error("could not queue %s%r: %s", task.name, args, error)
        if unavailable is not None:
            unavailable(
                gettext("The task queue could not be reached (%(error)s). Try again later.")
                % {"error": error}
            )


def enqueue(
    task, *args, unavailable: Callable[[str], None] | None = None, countdown: int = 0
) -> None:
    """Send `task(*args)` after the commit (to start `countdown` seconds later, where there
    is a broker). If the broker cannot be reached, `unavailable` is called with the reason,
    so that the caller's record can say the work did not start."""
    transaction.on_commit(lambda: send(task, *args, unavailable=unavailable, countdown=countdown))
