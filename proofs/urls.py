from django.urls import path

from proofs import views
from proofs.keys import WELL_KNOWN

app_name = "proofs"
urlpatterns = [
    path(WELL_KNOWN, views.signing_keys, name="signing_keys"),
    path("proofs/", views.proofs_page, name="proofs"),
]
