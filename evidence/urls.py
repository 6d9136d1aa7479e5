from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/export.csv", views.evidence_list_csv, name="evidence_list_csv"),
    path("evidence/new/", views.evidence_create, name="evidence_create"),
    path("evidence/<id:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<id:pk>/edit/", views.evidence_update, name="evidence_update"),
    path("evidence/<id:pk>/thumbnail", views.evidence_thumbnail, name="evidence_thumbnail"),
    path("evidence/<id:pk>/preview", views.evidence_preview, name="evidence_preview"),
    path("evidence/<id:pk>/strip", views.evidence_strip, name="evidence_strip"),
    path("evidence/<id:pk>/file", views.evidence_file, name="evidence_file"),
    path("evidence/<id:pk>/processing", views.evidence_processing, name="evidence_processing"),
    path(
        "evidence/<id:pk>/processing/retry/",
        views.evidence_processing_retry,
        name="evidence_processing_retry",
    ),
    path(
        "evidence/<id:pk>/accept/<slug:what>/",
        views.evidence_accept_suggestion,
        name="evidence_accept_suggestion",
    ),
    path("claims/<id:pk>/evidence/link/", views.link_create, name="link_create"),
    path("links/<id:pk>/edit/", views.link_update, name="link_update"),
    path("review/", views.review_queue, name="review_queue"),
    path("evidence/integrity/", views.integrity, name="integrity"),
    path("links/<id:pk>/delete/", views.link_delete, name="link_delete"),
]
