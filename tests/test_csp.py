"""Every route of the URLconf (and the admin, and the API docs) answers with a
Content-Security-Policy that allows no inline script or style, frames nothing, embeds no
plugin and fixes the base URL; plus a Permissions-Policy and a Cross-Origin-Opener-Policy."""

import pytest
from django.conf import settings

from investigations.models import Role
from tests.factories import MembershipFactory, default_investigation
from tests.investigations.test_permission_matrix import ROUTES, _url, records  # noqa: F401

pytestmark = pytest.mark.django_db

EXTRA_PAGES = [
    "/admin/",
    "/admin/claims/claim/",
    "/admin/auth/user/",
    "/admin/accounts/securityevent/",
    "/api/v1/docs/",
    "/api/v1/docs/?script=",
    "/api/v1/claims/?format=api",
    "/accounts/login/",
    "/no-such-page/",
]


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


def _problems(url: str, response) -> list[str]:
    policy = _policy(response)
    found = []
    if not policy:
        return [f"{url}: no Content-Security-Policy"]
    for directive in ("script-src", "style-src", "default-src"):
        if "'unsafe-inline'" in policy.get(directive, []) or "'unsafe-eval'" in policy.get(
            directive, []
        ):
            found.append(f"{url}: {directive} allows inline code")
    for directive in ("frame-ancestors", "base-uri"):
        if policy.get(directive) != ["'none'"]:
            found.append(f"{url}: {directive} is {policy.get(directive)}")
    if policy.get("object-src", policy.get("default-src")) != ["'none'"]:
        found.append(f"{url}: object-src is not 'none'")
    if response.get("Permissions-Policy") != settings.PERMISSIONS_POLICY:
        found.append(f"{url}: Permissions-Policy is {response.get('Permissions-Policy')}")
    if response.get("Cross-Origin-Opener-Policy") != "same-origin":
        found.append(f"{url}: no Cross-Origin-Opener-Policy")
    return found


def test_every_route_has_the_policy_headers(client, records, settings, superuser):  # noqa: F811
    settings.DEBUG = False  # as in production: error pages carry the policy too
    MembershipFactory(investigation=default_investigation(), user=superuser, role=Role.LEAD)
    client.force_login(superuser)
    problems = []
    urls = [_url(name, arguments, records) for name, (_k, _n, arguments) in ROUTES.items()]
    for url in urls + EXTRA_PAGES:
        response = client.get(url)
        assert response.status_code < 500, url
        problems += _problems(url, response)
    anonymous = type(client)()
    for url in ("/accounts/login/", "/", "/api/v1/claims/", "/healthz"):
        problems += _problems(url, anonymous.get(url))
    assert problems == []


def test_the_page_policy_is_the_strict_one(client):
    policy = _policy(client.get("/accounts/login/"))
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_no_template_holds_an_inline_script_style_or_handler():
    """What the policy would refuse is not written in the first place (the exported
    dossier, a document of its own, allows its one style block by hash)."""
    import re
    from pathlib import Path

    root = Path(settings.BASE_DIR) / "templates"
    wrong = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.name == "dossier.html" and path.parent.name == "dossiers":
            text = re.sub(r"<style>.*?</style>", "", text, flags=re.DOTALL)
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            wrong.append(f"{path.name}: inline script")
        if re.search(r"<style\b|\sstyle=|\son[a-z]+=", text):
            wrong.append(f"{path.name}: inline style or handler")
    assert wrong == []


def test_the_html_dossier_allows_its_own_style_block_only(client, researcher):
    from tests.factories import ClaimFactory

    claim = ClaimFactory()
    client.force_login(researcher)
    response = client.get(f"/claims/{claim.pk}/dossier.html")
    policy = _policy(response)
    assert policy["style-src"][0].startswith("'sha256-") and "sandbox" in policy
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy
    import base64
    import hashlib
    import re

    block = re.search(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]
