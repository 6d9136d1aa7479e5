from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", views.claim_update, name="claim_update"),
    path("claims/<int:pk>/timeline/", views.claim_timeline, name="claim_timeline"),
    path("claims/<int:pk>/denials/new/", views.denial_create, name="denial_create"),
    path(
        "claims/<int:pk>/denials/<int:denial_pk>/edit/",
        views.denial_update,
        name="denial_update",
    ),
    path(
        "claims/<int:pk>/denials/<int:denial_pk>/delete/",
        views.denial_delete,
        name="denial_delete",
    ),
    path("claimants/", views.claimant_list, name="claimant_list"),
    path("claimants/new/", views.claimant_create, name="claimant_create"),
    path("claimants/<int:pk>/", views.claimant_detail, name="claimant_detail"),
    path("claimants/<int:pk>/edit/", views.claimant_update, name="claimant_update"),
]
