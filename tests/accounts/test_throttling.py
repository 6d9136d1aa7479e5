"""Sign-in throttling: failures on the web sign-in, the admin's and the API token endpoint
count alike; after the limit, a lockout with a message saying when to try again, the same
for an account that does not exist; the right password refused meanwhile; staff lift it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import EventKind, SecurityEvent
from accounts.services import lockout_lift
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def rita(db):
    return UserFactory(username="rita")


def _web(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def _api(client, username, password):
    return client.post(
        "/api/v1/token/",
        {"username": username, "password": password},
        content_type="application/json",
    )


ENTRY_POINTS = {
    "web": lambda client, u, p: _web(client, u, p),
    "admin": lambda client, u, p: _web(client, u, p, path="/admin/login/"),
    "api": _api,
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_locks_out_after_the_limit_and_refuses_the_right_password(client, rita, entry):
    attempt = ENTRY_POINTS[entry]
    for _ in range(2):
        response = attempt(client, "rita", "wrong")
        assert response.status_code in (200, 400)  # the form again, or the API's 400
    locked = attempt(client, "rita", "wrong")  # the third: the limit
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    text = locked.json()["detail"] if entry == "api" else locked.content.decode()
    assert "Too many failed sign-ins. Try again after" in text

    right = attempt(client, "rita", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


def test_failures_at_each_entry_point_add_up(client, rita):
    _web(client, "rita", "wrong")
    _web(client, "rita", "wrong", path="/admin/login/")
    assert _api(client, "rita", "wrong").status_code == 429


def test_an_unknown_account_is_locked_with_the_same_words(client, rita):
    for _ in range(3):
        unknown = _web(client, "nobody-here", "wrong")
    assert unknown.status_code == 429
    client2 = type(client)(REMOTE_ADDR="10.0.0.2")
    for _ in range(3):
        known = _web(client2, "rita", "wrong")
    assert known.status_code == 429

    def words(response):
        text = response.content.decode()
        return text[text.index("<main") :].replace("nobody-here", "NAME").replace("rita", "NAME")

    assert words(unknown) == words(known)


def test_the_lockout_is_by_address_too(client, rita):
    for name in ("a", "b", "c"):  # three names, one address
        _web(client, name, "wrong")
    assert _web(client, "rita", PASSWORD).status_code == 429
    elsewhere = type(client)(REMOTE_ADDR="10.9.9.9")
    assert _web(elsewhere, "rita", PASSWORD).status_code == 302  # the account itself: fine


def test_a_success_before_the_limit_starts_the_count_again(client, rita):
    _web(client, "rita", "wrong")
    _web(client, "rita", "wrong")
    assert _web(client, "rita", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _web(client, "rita", "wrong")
    _web(client, "rita", "wrong")
    assert _web(client, "rita", PASSWORD).status_code == 302


def test_each_failure_is_slowed(client, rita, settings, monkeypatch):
    settings.SIGN_IN_FAILURE_DELAY = 0.75
    waits = []
    monkeypatch.setattr("accounts.signals.time.sleep", waits.append)
    _web(client, "rita", "wrong")
    _api(client, "rita", "wrong")
    assert waits == [0.75, 0.75]
    _web(client, "rita", PASSWORD)
    assert waits == [0.75, 0.75]  # a success is not slowed
    client.post("/accounts/logout/")
    for _ in range(3):  # the success started the count again; the third locks, and waits
        _web(client, "rita", "wrong")
    assert _web(client, "rita", "wrong").status_code == 429
    assert waits == [0.75] * 5  # refused during the lockout: answered at once


def test_staff_lift_a_lockout_on_the_lockouts_page(client, rita, superuser):
    for _ in range(3):
        _web(client, "rita", "wrong")
    staff = type(client)(REMOTE_ADDR="10.1.1.1")
    staff.force_login(superuser)
    page = staff.get(reverse("accounts:lockouts"))
    assert "rita" in page.content.decode() and "127.0.0.1" in page.content.decode()
    response = staff.post(
        reverse("accounts:lockout_lift"),
        {"username": "rita", "ip_address": "127.0.0.1"},
        follow=True,
    )
    assert "Lockout of “rita” and 127.0.0.1 lifted." in response.content.decode()
    assert "Nobody is locked out." in response.content.decode()
    assert _web(client, "rita", PASSWORD).status_code == 302
    lifted = SecurityEvent.objects.get(kind=EventKind.LOCKOUT_LIFTED)  # one entry for both
    assert (lifted.subject_name, lifted.detail, lifted.actor) == ("rita", "127.0.0.1", superuser)


def test_only_staff_lift_lockouts(client, rita, researcher):
    client.force_login(researcher)
    assert client.post(reverse("accounts:lockout_lift"), {"username": "rita"}).status_code == 403
    with pytest.raises(PermissionDenied):
        lockout_lift(username="rita", by=researcher)


def test_sign_ins_failures_and_the_lockout_are_logged(client, rita):
    _web(client, "rita", PASSWORD)
    client.post("/accounts/logout/")
    for _ in range(4):
        _web(client, "rita", "wrong")
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "subject_name", "detail"))
    assert kinds[0] == (EventKind.SIGN_IN, "rita", "password")
    assert kinds[1][:2] == (EventKind.SIGN_OUT, "rita")
    failures = [k for k in kinds if k[0] == EventKind.SIGN_IN_FAILED]
    assert [f[2] for f in failures] == ["wrong username or password"] * 3 + [
        "refused during a lockout"
    ]
    assert [k[:2] for k in kinds if k[0] == EventKind.LOCKED_OUT] == [
        (EventKind.LOCKED_OUT, "rita")
    ]
    assert (
        SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).first().ip_address
        == "127.0.0.1"
    )


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_added(
    client, rita, settings
):
    settings.ADDRESS_FROM_PROXY = True

    def via_proxy(claimed: str, real: str):
        return client.post(
            "/accounts/login/",
            {"username": f"name-{claimed}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"{claimed}, {real}",
            REMOTE_ADDR="127.0.0.1",  # the proxy itself
        )

    for n in range(3):  # one client, claiming a new address each time
        last = via_proxy(f"6.6.6.{n}", "198.51.100.7")
    assert last.status_code == 429
    other = client.post(
        "/accounts/login/",
        {"username": "rita", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        REMOTE_ADDR="127.0.0.1",
    )
    assert other.status_code == 302  # another client behind the same proxy is not locked
    assert SecurityEvent.objects.filter(ip_address="198.51.100.7").count() >= 3
