"""Background work on claims: each task calls a service and is safe to run twice."""

from celery import shared_task

from claims import services


@shared_task(name="claims.tasks.refresh_search")
def refresh_search(claim_ids: list[int]) -> None:
    services.claims_search_refresh(claim_ids)
