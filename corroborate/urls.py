"""The site's URLs: the one place that sees every app, so it assembles their pages.

The "claims" namespace gathers the claim pages of four apps: editing (claims), the pages
that weigh evidence (assessment), dossiers and the CSV import. Each app lists its own
patterns; none of them has to import another app's views for it.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import JavaScriptCatalog

import core.converters  # noqa: F401 - registers <id:...> and <history_kind:...>
from accounts import oidc
from accounts import views as accounts_views
from api import views as api_views
from assessment import urls as assessment_urls
from claims import urls as claims_urls
from corroborate import views
from dossiers import urls as dossiers_urls
from imports import urls as imports_urls

claim_pages = [
    *assessment_urls.urlpatterns,
    *claims_urls.urlpatterns,
    *dossiers_urls.urlpatterns,
    *imports_urls.urlpatterns,
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    # The words corroborate.js shows, in the reader's language (no secret: no login).
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("history/<history_kind:kind>/<id:pk>/", views.history_page, name="history"),
    path("accounts/login/", accounts_views.sign_in, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("oidc/", include(oidc.urlpatterns())),
    path("security/log/", views.security_log, name="security_log"),
    # The admin signs in through the one sign-in page (throttled, two-factor).
    path("admin/login/", accounts_views.sign_in),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("tokens/", api_views.token_list, name="tokens"),
    path("tokens/<id:pk>/revoke/", api_views.token_revoke_view, name="token_revoke"),
    path(
        "tokens/personal/revoke/",
        api_views.personal_token_revoke_view,
        name="personal_token_revoke",
    ),
    path("", include((claim_pages, "claims"))),
    path("", include("evidence.urls")),
    path("", include("proofs.urls")),
    path("", include("investigations.urls")),
    path("", include("teamwork.urls")),
]

admin.site.site_header = gettext_lazy("Corroborate administration")
admin.site.site_title = "Corroborate"
admin.site.index_title = gettext_lazy("Records and review")
# The sidebar repeats the index page and leaves lists too little width for their columns.
admin.site.enable_nav_sidebar = False
