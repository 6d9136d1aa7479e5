"""The REST API at /api/v1/: its root lists every endpoint (for clients and for a person in
the browsable API), plus token sign-in, the OpenAPI schema and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from api.claims import (
    AttributionViewSet,
    ClaimantViewSet,
    ClaimViewSet,
    DenialViewSet,
    SourceViewSet,
    TagViewSet,
)
from api.evidence import EvidenceLinkViewSet, EvidenceViewSet
from api.investigations import InvestigationViewSet
from api.signin import AuthToken
from api.teamwork import (
    AssignmentViewSet,
    CommentViewSet,
    NotificationViewSet,
    SavedSearchViewSet,
)
from api.uploads import UploadDetail, UploadList


class Root(APIRootView):
    """Claims, claimants and evidence, with the web workbench's permissions. Sign in with a
    session or a token (POST /api/v1/token/); the schema is at /api/v1/schema/ and its
    documentation at /api/v1/docs/."""

    name = "Corroborate API"
    permission_classes = [IsAuthenticated]


router = DefaultRouter()
router.APIRootView = Root
router.register("investigations", InvestigationViewSet)
router.register("claims", ClaimViewSet)
router.register("claimants", ClaimantViewSet)
router.register("tags", TagViewSet)
router.register("sources", SourceViewSet)
router.register("attributions", AttributionViewSet)
router.register("denials", DenialViewSet)
router.register("evidence", EvidenceViewSet)
router.register("links", EvidenceLinkViewSet)
router.register("comments", CommentViewSet)
router.register("assignments", AssignmentViewSet)
router.register("notifications", NotificationViewSet)
router.register("saved-searches", SavedSearchViewSet)

urlpatterns = [
    path("token/", AuthToken.as_view(), name="api_token"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api_schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", permission_classes=[IsAuthenticated]
        ),
        name="api_docs",
    ),
    path("uploads/", UploadList.as_view(), name="upload-list"),
    path("uploads/<uuid:uuid>/", UploadDetail.as_view(), name="upload-detail"),
    path("", include(router.urls)),
]
