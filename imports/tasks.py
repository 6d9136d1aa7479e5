"""Background work on imports: each task calls a service and is safe to run twice."""

from celery import shared_task

from imports import web


@shared_task(name="imports.tasks.run_import")
def run_import(web_import_pk: int) -> None:
    web.import_run(web_import_pk)
