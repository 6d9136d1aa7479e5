from django.urls import path

from investigations import views

app_name = "investigations"

urlpatterns = [
    path("investigations/", views.investigation_list, name="investigation_list"),
    path("investigations/switch/", views.investigation_switch, name="investigation_switch"),
    path(
        "investigations/<slug:slug>/members/",
        views.investigation_members,
        name="investigation_members",
    ),
]
