"""Two-factor sign-in: enrolment with a QR code drawn here, a code at every sign-in, backup
codes that work once, staff's reset, staff required to use it, and an investigation that
requires it turning members without it away to enrolment."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import EventKind, SecurityEvent, Session
from accounts.services import two_factor_enabled
from investigations.models import Role
from tests.factories import ClaimFactory, InvestigationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _code(device, shift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += shift * device.step
    return f"{totp.token():0{device.digits}d}"


def _enrol(client) -> list[str]:
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post(reverse("accounts:two_factor_setup"), {"code": _code(device)})
    assert page.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())


def _verified(client, user) -> None:
    """Signed in, the session confirmed with a code (as after a real sign-in)."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": _code(device, 1)})
    assert response.status_code == 302


@pytest.fixture
def rita(db):
    return UserFactory(username="rita")


@pytest.fixture
def enrolled(client, rita):
    """Rita with an authenticator app, signed out again; her backup codes."""
    client.force_login(rita)
    codes = _enrol(client)
    client.post("/accounts/logout/")
    return codes


def test_enrolment_shows_a_local_qr_code_then_asks_for_a_code(client, rita):
    client.force_login(rita)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'src="/accounts/two-factor/qr.svg"' in page
    assert "http" not in page.split('class="qr"')[1].split(">")[0]  # no outside service
    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in qr.content and b"<script" not in qr.content

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not two_factor_enabled(rita)

    device = TOTPDevice.objects.get(user=rita)
    # The key typed by hand is the one in the QR code.
    secret = re.search(r'token-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert secret in device.config_url
    done = client.post(reverse("accounts:two_factor_setup"), {"code": _code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "not shown again" in done.content.decode()
    assert two_factor_enabled(rita)
    assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_ENROLLED, actor=rita).count() == 1
    assert (
        client.get(reverse("accounts:security")).content.decode().count("10 backup codes left") == 1
    )


def test_signing_in_takes_the_password_then_a_code(client, rita, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a person waits a moment after a wrong code
    first = client.post(
        "/accounts/login/", {"username": "rita", "password": PASSWORD, "next": "/tokens/"}
    )
    assert first.status_code == 302 and first["Location"].startswith("/accounts/two-factor/verify/")
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get("/tokens/").status_code == 302

    wrong = client.post(first["Location"], {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    device = TOTPDevice.objects.get(user=rita)
    done = client.post(first["Location"], {"code": _code(device, shift=1)})
    assert done.status_code == 302 and done["Location"] == "/tokens/"
    assert client.get("/tokens/").status_code == 200
    signed_in = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN).first()  # the newest
    assert signed_in.detail == "password and authenticator app"
    assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_FAILED, actor=rita).exists()


def test_a_backup_code_signs_in_once_only(client, rita, enrolled):
    code = enrolled[0]
    client.post("/accounts/login/", {"username": "rita", "password": PASSWORD})
    used = client.post(reverse("accounts:two_factor_verify"), {"code": code}, follow=True)
    assert "You used a backup code; 9 remain." in used.content.decode()
    assert StaticToken.objects.filter(device__user=rita).count() == 9
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": "rita", "password": PASSWORD})
    again = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert "That code is not right, or was used already." in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=EventKind.BACKUP_CODE_USED).count() == 1


def test_repeated_wrong_codes_are_slowed(client, rita, enrolled):
    client.post("/accounts/login/", {"username": "rita", "password": PASSWORD})
    for _ in range(3):
        client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    device = TOTPDevice.objects.get(user=rita)
    page = client.post(reverse("accounts:two_factor_verify"), {"code": _code(device)})
    assert "Too many wrong codes" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_new_backup_codes_replace_the_old(client, rita, enrolled):
    _verified(client, rita)
    page = client.post(reverse("accounts:backup_codes_make"))
    fresh = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(enrolled)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(fresh)
    assert SecurityEvent.objects.filter(kind=EventKind.BACKUP_CODES_MADE).count() == 1


def test_turning_it_off_and_staff_reset(client, rita, enrolled, superuser):
    _verified(client, rita)
    client.post(reverse("accounts:two_factor_remove"))
    assert not two_factor_enabled(rita)
    assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_REMOVED, actor=rita).exists()

    _enrol(client)
    assert Session.objects.filter(user_id=rita.pk).exists()
    staff = type(client)()
    staff.force_login(superuser)
    page = staff.post(
        reverse("accounts:user_security", args=[rita.pk]),
        {"action": "reset_two_factor"},
        follow=True,
    )
    assert "Two-factor sign-in of rita reset" in page.content.decode()
    assert not two_factor_enabled(rita)
    assert not Session.objects.filter(user_id=rita.pk).exists()  # her sessions ended
    reset = SecurityEvent.objects.get(kind=EventKind.TWO_FACTOR_RESET)
    assert (reset.actor, reset.subject_name) == (superuser, "rita")
    # She signs in with her password alone now.
    assert (
        client.post("/accounts/login/", {"username": "rita", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get(reverse("accounts:security")).status_code == 200


def test_staff_must_use_it_when_the_setting_says_so(client, settings, superuser):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    client.force_login(superuser)
    page = client.get("/tokens/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/")
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/v1/claims/")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    # A token is unaffected.
    token = Token.objects.create(user=superuser)
    script = type(client)()
    assert script.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    # Not allowed to turn it off once on.
    _enrol(client)
    assert client.get("/tokens/").status_code == 200
    page = client.post(reverse("accounts:two_factor_remove"), follow=True)
    assert "required for your account" in page.content.decode()
    assert two_factor_enabled(superuser)


def test_an_investigation_that_requires_it_sends_members_to_enrol(client, researcher):
    secret = InvestigationFactory(slug="sources", name="Sources")
    MembershipFactory(investigation=secret, user=researcher, role=Role.RESEARCHER)
    lead = UserFactory(username="lena")
    MembershipFactory(investigation=secret, user=lead, role=Role.LEAD)
    claim = ClaimFactory(investigation=secret, statement="Witness W said so.")
    other = ClaimFactory(statement="Open claim.")  # the default investigation

    leader = type(client)()
    leader.force_login(lead)
    _enrol(leader)  # the lead has it, so may still open it after requiring it
    page = leader.post(
        reverse("investigations:investigation_members", args=["sources"]),
        {"action": "require_two_factor"},
        follow=True,
    )
    assert "Members now open it only after two-factor sign-in" in page.content.decode()
    policy = SecurityEvent.objects.get(kind=EventKind.TWO_FACTOR_POLICY)
    assert (policy.investigation_id, policy.detail) == (secret.pk, "required")

    client.force_login(researcher)
    turned_away = client.get(reverse("claims:claim_detail", args=[claim.pk]))
    assert turned_away.status_code == 302
    assert turned_away["Location"].startswith("/accounts/two-factor/?next=")
    page = client.get(turned_away["Location"])
    assert "“Sources” requires two-factor sign-in" in page.content.decode()
    listing = client.get(reverse("claims:claim_list")).content.decode()
    assert "Open claim." in listing and "Witness W" not in listing
    assert client.get(f"/api/v1/claims/{claim.pk}/").status_code == 404  # hidden from this session
    assert client.get(reverse("claims:claim_detail", args=[other.pk])).status_code == 200

    _enrol(client)
    assert client.get(reverse("claims:claim_detail", args=[claim.pk])).status_code == 200
    assert "Witness W" in client.get(reverse("claims:claim_list")).content.decode()


def test_the_token_endpoint_asks_for_the_code(client, rita, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0

    def token(**extra):
        return client.post(
            "/api/v1/token/",
            {"username": "rita", "password": PASSWORD, **extra},
            content_type="application/json",
        )

    assert "otp" in token().json()
    assert "otp" in token(otp="000000").json()
    device = TOTPDevice.objects.get(user=rita)
    made = token(otp=_code(device, shift=1))  # the current code went on enrolment
    assert made.status_code == 200 and made.json()["token"] == Token.objects.get(user=rita).key


def test_a_member_of_only_such_investigations_is_sent_to_enrol_not_refused(client):
    secret = InvestigationFactory(slug="sources", name="Sources", two_factor_required=True)
    nina = UserFactory(username="nina")
    MembershipFactory(investigation=secret, user=nina, role=Role.VIEWER)
    client.force_login(nina)
    page = client.get("/claims/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/")
    switcher = client.get(reverse("accounts:security")).content.decode()
    assert "Sources (needs two-factor sign-in)" in switcher


def test_a_session_from_before_the_set_up_must_type_a_code_to_change_it(client, rita):
    older = type(client)()
    older.post("/accounts/login/", {"username": "rita", "password": PASSWORD})
    client.force_login(rita)
    _enrol(client)  # on another browser
    device = TOTPDevice.objects.get(user=rita)
    for attempt in (
        lambda: older.get(reverse("accounts:two_factor_setup")),
        lambda: older.post(reverse("accounts:two_factor_remove")),
        lambda: older.post(reverse("accounts:backup_codes_make")),
    ):
        response = attempt()
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=rita).count() == 10
