from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

import corroborate.converters  # noqa: F401 - registers <id:...> and <history_kind:...>
from claims.api import (
    AttributionViewSet,
    ClaimantViewSet,
    ClaimViewSet,
    DenialViewSet,
    SourceViewSet,
    TagViewSet,
)
from corroborate import views
from evidence.api import EvidenceLinkViewSet, EvidenceViewSet

# A simple router: the API's root is its documentation, not a listing view.
api_router = SimpleRouter()
api_router.register("claims", ClaimViewSet)
api_router.register("claimants", ClaimantViewSet)
api_router.register("tags", TagViewSet)
api_router.register("sources", SourceViewSet)
api_router.register("attributions", AttributionViewSet)
api_router.register("denials", DenialViewSet)
api_router.register("evidence", EvidenceViewSet)
api_router.register("links", EvidenceLinkViewSet)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("history/<history_kind:kind>/<id:pk>/", views.history_page, name="history"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/token/", obtain_auth_token, name="api_token"),
    path("api/v1/", include(api_router.urls)),
    path(
        "api/v1/schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api_schema",
    ),
    path(
        "api/v1/docs/",
        SpectacularSwaggerView.as_view(url_name="api_schema", permission_classes=[IsAuthenticated]),
        name="api_docs",
    ),
    path("", include("claims.urls")),
    path("", include("evidence.urls")),
]

admin.site.site_header = "Corroborate administration"
admin.site.site_title = "Corroborate"
admin.site.index_title = "Records and review"
# The sidebar repeats the index page and leaves lists too little width for their columns.
admin.site.enable_nav_sidebar = False
