"""The claim pages that weigh evidence; in the "claims" namespace (see corroborate/urls.py)."""

from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from assessment import views

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/export.csv", views.claim_list_csv, name="claim_list_csv"),
    path("claims/<id:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<id:pk>/timeline/", views.claim_timeline, name="claim_timeline"),
    path("claimants/<id:pk>/", views.claimant_detail, name="claimant_detail"),
]
