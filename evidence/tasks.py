"""Background work on evidence: each task calls a service and is safe to run twice."""

from celery import shared_task

from evidence import services


@shared_task(name="evidence.tasks.process_evidence_file")
def process_evidence_file(item_pk: int) -> None:
    services.evidence_file_process(item_pk)


@shared_task(name="evidence.tasks.verify_evidence")
def verify_evidence(started_by: int | None = None) -> int:
    """Re-hash every stored original (on the schedule, or started by staff)."""
    from django.contrib.auth import get_user_model

    by = get_user_model().objects.filter(pk=started_by).first() if started_by else None
    return len(services.evidence_verify_all(by=by).problems)


@shared_task(name="evidence.tasks.remove_abandoned_uploads")
def remove_abandoned_uploads() -> int:
    from evidence.resumable import uploads_remove_abandoned

    return uploads_remove_abandoned()
