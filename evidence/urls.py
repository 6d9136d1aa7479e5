from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/new/", views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/edit/", views.evidence_update, name="evidence_update"),
    path("evidence/<int:pk>/thumbnail", views.evidence_thumbnail, name="evidence_thumbnail"),
    path("evidence/<int:pk>/file", views.evidence_file, name="evidence_file"),
    path("claims/<int:pk>/evidence/link/", views.link_create, name="link_create"),
    path("links/<int:pk>/edit/", views.link_update, name="link_update"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
]
