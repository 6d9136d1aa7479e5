"""With the Content-Security-Policy enforced, the admin, the API's documentation and
browsable pages, and setting up two-factor sign-in work in a real browser (open_page
fails a test on any policy violation in the console)."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from investigations.models import Role
from tests.browser.conftest import sign_in
from tests.factories import ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_and_the_api_pages_work_under_the_policy(open_page, live_server, screenshot):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    claim = ClaimFactory()
    MembershipFactory(investigation=claim.investigation, user=admin, role=Role.LEAD)
    page = sign_in(open_page, live_server, "admin", "/accounts/security/")
    page.get_by_role("heading", name="Your security").wait_for()

    page.goto(live_server.url + "/admin/")
    page.get_by_role("heading", name="Records and review").wait_for()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.locator("#claim_form").wait_for()
    page.goto(live_server.url + "/admin/auth/user/")
    page.get_by_role("link", name="Security").first.wait_for()
    # The admin's own scripts run: the "select all" box ticks every row.
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() >= 1
    screenshot(page, "admin-users")

    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()  # rendered by Swagger UI's script
    screenshot(page, "api-docs")
    page.goto(live_server.url + "/api/v1/claims/")
    page.get_by_text("Claim List").first.wait_for()
    page.goto(live_server.url + "/security/log/")
    page.get_by_role("heading", name="Security log").wait_for()
    page.get_by_role("cell", name="Signed in").first.wait_for()
    screenshot(page, "security-log")
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.locator(".balance, .empty").first.wait_for()


def test_setting_up_two_factor_sign_in_and_signing_in_with_it(open_page, live_server, screenshot):
    UserFactory(username="rita")
    page = sign_in(open_page, live_server, "rita", "/accounts/security/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code to scan with an authenticator app")
    qr.wait_for()
    # Drawn by this site (an outside image would break the policy and fail the test).
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    screenshot(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user__username="rita")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code").fill(f"{code.token():06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Your backup codes").wait_for()
    codes = re.findall(r"\b[a-z0-9]{8}\b", page.locator(".backup-codes").inner_text())
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: go on").click()
    page.get_by_text("Signing in takes your password and a code").wait_for()
    screenshot(page, "security-page")
    page.get_by_role("button", name="Log out").click()

    page = sign_in(open_page, live_server, "rita", "/accounts/security/")
    page.get_by_role("heading", name="Two-factor sign-in").wait_for()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("You used a backup code; 9 remain.").wait_for()
    screenshot(page, "two-factor-backup-code")
