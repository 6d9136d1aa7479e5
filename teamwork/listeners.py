"""What teamwork does when the domain services announce something (core.notices)."""

from __future__ import annotations

from django.db import transaction

from core import notices


def _history_appended(notice: notices.HistoryAppended) -> None:
    from teamwork import services

    if not notice.bulk:
        services.watches_on_create(notice.entries)
    _fan_out_after_commit()


def _fan_out_after_commit() -> None:
    """Queue one fan-out for the transaction, however many entries it appends (an import
    appends thousands). A rolled-back transaction drops its callback; the next one queues
    afresh, and the scheduled fan-out catches anything a lost message missed."""
    from core.tasks import send as send_task
    from teamwork import tasks

    connection = transaction.get_connection()
    queued = getattr(connection, "_teamwork_fan_out", None)
    if (
        queued is not None
        and connection.in_atomic_block
        and any(callback is queued for _, callback, _ in connection.run_on_commit)
    ):
        return

    def send() -> None:
        send_task(tasks.fan_out)

    send.notification_fan_out = True  # tests tell it from the work they are about
    connection._teamwork_fan_out = send
    transaction.on_commit(send)


def _review_decided(notice: notices.ReviewDecided) -> None:
    from teamwork import services

    services.review_decided(
        item=notice.item, by=notice.by, status=notice.status, note=notice.note, seq=notice.seq
    )


def connect() -> None:
    notices.listen(notices.HistoryAppended, _history_appended)
    notices.listen(notices.ReviewDecided, _review_decided)
