from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import corroborate.converters  # noqa: F401 - registers <id:...> and <history_kind:...>
from corroborate import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("history/<history_kind:kind>/<id:pk>/", views.history_page, name="history"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
    path("", include("evidence.urls")),
]

admin.site.site_header = "Corroborate administration"
admin.site.site_title = "Corroborate"
admin.site.index_title = "Records and review"
# The sidebar repeats the index page and leaves lists too little width for their columns.
admin.site.enable_nav_sidebar = False
