"""The claim editing pages. The site's URLconf puts them in the "claims" namespace together
with the claim pages of assessment, dossiers and imports (corroborate/urls.py)."""

from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from claims import views

urlpatterns = [
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<id:pk>/edit/", views.claim_update, name="claim_update"),
    path("claims/<id:pk>/denials/new/", views.denial_create, name="denial_create"),
    path(
        "claims/<id:pk>/denials/<id:denial_pk>/edit/",
        views.denial_update,
        name="denial_update",
    ),
    path(
        "claims/<id:pk>/denials/<id:denial_pk>/delete/",
        views.denial_delete,
        name="denial_delete",
    ),
    path("claimants/", views.claimant_list, name="claimant_list"),
    path("claimants/export.csv", views.claimant_list_csv, name="claimant_list_csv"),
    path("claimants/new/", views.claimant_create, name="claimant_create"),
    path("claimants/<id:pk>/edit/", views.claimant_update, name="claimant_update"),
]
