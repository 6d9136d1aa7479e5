from django.urls import path

from teamwork import views

app_name = "teamwork"

urlpatterns = [
    path("claims/<id:pk>/comments/", views.comment_create, {"page": "claim"}, name="claim_comment"),
    path(
        "evidence/<id:pk>/comments/",
        views.comment_create,
        {"page": "evidence"},
        name="evidence_comment",
    ),
    path("comments/<id:pk>/edit/", views.comment_update, name="comment_update"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("claims/<id:pk>/assign/", views.assignment_add, {"page": "claim"}, name="claim_assign"),
    path(
        "evidence/<id:pk>/assign/",
        views.assignment_add,
        {"page": "evidence"},
        name="evidence_assign",
    ),
    path("assignments/<id:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("claims/<id:pk>/watch/", views.watch, {"page": "claim"}, name="claim_watch"),
    path("evidence/<id:pk>/watch/", views.watch, {"page": "evidence"}, name="evidence_watch"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<id:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("searches/", views.saved_search_list, name="saved_search_list"),
    path("searches/save/", views.saved_search_create, name="saved_search_create"),
    path("searches/<id:pk>/", views.saved_search_update, name="saved_search_update"),
    path("searches/<id:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("investigations/<slug:slug>/activity/", views.activity, name="activity"),
]
