import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import join_demo_case

pytestmark = pytest.mark.django_db


def test_login_page_is_public_and_labelled(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html


def test_dashboard_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/"


def test_dashboard_shows_the_demo_case(client, researcher):
    call_command("load_demo")
    join_demo_case()
    client.force_login(researcher)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>4</strong> claims" in html
    assert "June 2014" in html


def test_dashboard_empty_state(client, researcher):
    client.force_login(researcher)
    assert "No claims yet" in client.get("/").content.decode()


def test_login_then_logout(client, researcher):
    response = client.post(
        reverse("login"), {"username": "rita", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response.url == "/"
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
