"""Tasks of working together: reading the history for watchers and alerts, and mail."""

from celery import shared_task

from teamwork import fanout, mail


@shared_task(name="teamwork.tasks.fan_out")
def fan_out() -> int:
    return fanout.fan_out()


@shared_task(
    name="teamwork.tasks.mail_notification",
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=True,
)
def mail_notification(pk: int) -> bool:
    return mail.mail_one(pk)


@shared_task(name="teamwork.tasks.mail_due", autoretry_for=(OSError,), max_retries=3)
def mail_due() -> int:
    return mail.mail_due()


@shared_task(name="teamwork.tasks.mail_digests", autoretry_for=(OSError,), max_retries=3)
def mail_digests() -> int:
    return mail.mail_digests()
