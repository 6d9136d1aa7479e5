"""Background work on dossiers: each task calls a service and is safe to run twice."""

from celery import shared_task

from dossiers import services


@shared_task(name="dossiers.tasks.prepare_dossier")
def prepare_dossier(prepared_pk: int) -> None:
    services.dossier_prepare(prepared_pk)


@shared_task(name="dossiers.tasks.remove_expired")
def remove_expired() -> int:
    return services.dossiers_remove_expired()
