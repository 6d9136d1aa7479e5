"""The CSV import page; in the "claims" namespace (see corroborate/urls.py)."""

from django.urls import path

from imports import views

urlpatterns = [
    path("claims/import/", views.claim_import_csv, name="claim_import_csv"),
    path("claims/import/<uuid:uuid>/", views.claim_import_status, name="claim_import_status"),
    path("claims/import/<uuid:uuid>/state", views.claim_import_state, name="claim_import_state"),
]
