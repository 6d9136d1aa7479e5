"""Dossier downloads; in the "claims" namespace (see corroborate/urls.py)."""

from django.urls import path

import core.converters  # noqa: F401 - registers <id:...> and <dossier_format:...>
from dossiers import views

urlpatterns = [
    path("claims/dossiers.zip", views.claim_list_dossiers, name="claim_list_dossiers"),
    path("claims/<id:pk>/dossier.<dossier_format:fmt>", views.claim_dossier, name="claim_dossier"),
    path("dossiers/", views.prepared_list, name="prepared_list"),
    path("dossiers/<uuid:uuid>/", views.prepared_dossier, name="prepared_dossier"),
    path("dossiers/<uuid:uuid>/status", views.prepared_status, name="prepared_status"),
    path("dossiers/<uuid:uuid>/download", views.prepared_download, name="prepared_download"),
    path("dossiers/<uuid:uuid>/retry/", views.prepared_retry, name="prepared_retry"),
]
