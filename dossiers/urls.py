"""Dossier downloads; in the "claims" namespace (see corroborate/urls.py)."""

from django.urls import path

import core.converters  # noqa: F401 - registers <id:...> and <dossier_format:...>
from dossiers import views

urlpatterns = [
    path("claims/dossiers.zip", views.claim_list_dossiers, name="claim_list_dossiers"),
    path("claims/<id:pk>/dossier.<dossier_format:fmt>", views.claim_dossier, name="claim_dossier"),
]
