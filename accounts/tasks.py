"""Mail sent off the request (a password reset link)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail as django_send_mail


@shared_task(
    name="accounts.tasks.send_mail", autoretry_for=(OSError,), max_retries=5, retry_backoff=True
)
def send_mail(subject: str, body: str, to: str) -> None:
    django_send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
