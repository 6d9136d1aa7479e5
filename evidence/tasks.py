"""Background work on evidence: each task calls a service and is safe to run twice."""

from celery import shared_task

from evidence import services


@shared_task(name="evidence.tasks.process_evidence_file")
def process_evidence_file(item_pk: int) -> None:
    services.evidence_file_process(item_pk)
