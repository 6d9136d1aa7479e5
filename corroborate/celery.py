"""The Celery application: configured from Django's settings (the CELERY_* names), with
the tasks of every installed app (their tasks.py). `make worker` runs it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corroborate.settings")

app = Celery("corroborate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
