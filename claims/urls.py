from django.urls import path

import corroborate.converters  # noqa: F401 - registers <id:...>
from claims import views

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/export.csv", views.claim_list_csv, name="claim_list_csv"),
    path("claims/import/", views.claim_import_csv, name="claim_import_csv"),
    path("claims/dossiers.zip", views.claim_list_dossiers, name="claim_list_dossiers"),
    path(
        "claims/<id:pk>/dossier.<dossier_format:fmt>",
        views.claim_dossier,
        name="claim_dossier",
    ),
    path("claims/<id:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<id:pk>/edit/", views.claim_update, name="claim_update"),
    path("claims/<id:pk>/timeline/", views.claim_timeline, name="claim_timeline"),
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
    path("claimants/<id:pk>/", views.claimant_detail, name="claimant_detail"),
    path("claimants/<id:pk>/edit/", views.claimant_update, name="claimant_update"),
]
