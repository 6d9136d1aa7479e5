"""Corroborate: the project package (settings, URLs) and the small pieces both apps share."""

# Loaded with Django, so that every app's @shared_task binds to this application.
from corroborate.celery import app as celery_app

__all__ = ["celery_app"]
