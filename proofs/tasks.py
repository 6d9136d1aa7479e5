"""The schedule's outside witness of the history: its head, timestamped."""

import logging

from celery import shared_task

from proofs.timestamps import TimestampUnavailable, timestamp_head

log = logging.getLogger(__name__)


@shared_task(name="proofs.tasks.timestamp_history")
def timestamp_history() -> int | None:
    """The entry timestamped, or None (already witnessed, or no authority answering: the
    next run tries again)."""
    try:
        witness = timestamp_head()
    except TimestampUnavailable as error:
        log.warning("The history's head was not timestamped: %s", error)
        return None
    return witness.seq if witness else None
