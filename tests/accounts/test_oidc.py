"""Single sign-on with OpenID Connect, against a small provider served here: the account
is made on first sign-in, made staff (or not) from a group claim at every sign-in, and
password sign-in can be switched off."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.contrib.auth import get_user_model

from accounts.models import EventKind, SecurityEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "corroborate", "a shared secret of the identity provider, 40+ bytes"


class Provider:
    """What the identity provider will say about the next person who signs in."""

    def __init__(self):
        self.nonce = ""
        self.claims = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _handler(provider):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # the token endpoint
                self.rfile.read(int(self.headers["Content-Length"]))
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "sub": provider.claims["preferred_username"],
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": provider.nonce,
                    },
                    SECRET,
                    algorithm="HS256",
                )
                self._json({"id_token": id_token, "access_token": "at", "token_type": "Bearer"})

            def do_GET(self):  # the user endpoint
                self._json(provider.claims)

        return Handler


@pytest.fixture
def provider(settings):
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_ENABLED = True
    settings.OIDC_NAME = "Newsroom SSO"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.url + "/token"
    settings.OIDC_OP_USER_ENDPOINT = provider.url + "/userinfo"
    settings.OIDC_STAFF_GROUP = "corroborate-admins"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.OrganisationBackend",
    ]
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def _sign_in(client, provider, **claims):
    provider.claims = {"preferred_username": "oksana", "email": "oksana@example.org", **claims}
    start = client.get("/oidc/authenticate/?next=/tokens/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and "code_challenge" in query
    provider.nonce = query["nonce"][0]
    return client.get(f"/oidc/callback/?code=the-code&state={query['state'][0]}")


def test_first_sign_in_makes_the_account_and_staff_follows_the_group(client, provider):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Newsroom SSO" in page and 'name="password"' in page

    done = _sign_in(client, provider, groups=["corroborate-admins", "others"])
    assert done.status_code == 302 and done["Location"] == "/tokens/"
    user = get_user_model().objects.get(username="oksana")
    assert user.is_staff and not user.has_usable_password()
    assert client.get("/tokens/").status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.SIGN_IN)
    assert (event.actor, event.detail) == (user, "single sign-on (Newsroom SSO)")

    client.post("/accounts/logout/")
    _sign_in(client, provider, groups=["others"])
    user.refresh_from_db()
    assert not user.is_staff  # out of the group, out of staff


def test_a_deactivated_account_is_refused(client, provider):
    UserFactory(username="oksana", is_active=False)
    done = _sign_in(client, provider)
    assert done["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_password_sign_in_can_be_switched_off(client, provider, settings):
    UserFactory(username="rita")
    settings.PASSWORD_SIGN_IN = False
    settings.AUTHENTICATION_BACKENDS = [
        b for b in settings.AUTHENTICATION_BACKENDS if not b.endswith("ModelBackend")
    ]
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "Sign in with Newsroom SSO" in page
    refused = client.post(
        "/accounts/login/", {"username": "rita", "password": "correct horse battery staple"}
    )
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 200
    token = client.post(
        "/api/v1/token/",
        {"username": "rita", "password": "correct horse battery staple"},
        content_type="application/json",
    )
    assert token.status_code == 400


def test_without_configuration_its_pages_do_not_exist(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
