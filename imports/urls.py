"""The CSV import page; in the "claims" namespace (see corroborate/urls.py)."""

from django.urls import path

from imports import views

urlpatterns = [
    path("claims/import/", views.claim_import_csv, name="claim_import_csv"),
]
