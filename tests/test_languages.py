"""The interface in English, Ukrainian, Russian and Arabic: how the language is chosen,
right to left for Arabic, and dates in each language, typed and shown."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Preferences
from core.dates import PartialDate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("June 2014", "2014-06"),
        ("12 June 2014", "2014-06-12"),
        ("червень 2014", "2014-06"),
        ("Червень 2014", "2014-06"),
        ("12 червня 2014", "2014-06-12"),
        ("12 червня 2014 р.", "2014-06-12"),
        ("чер. 2014", "2014-06"),
        ("июнь 2014", "2014-06"),
        ("12 июня 2014 г.", "2014-06-12"),
        ("12 июня 2014 года", "2014-06-12"),
        ("يونيو 2014", "2014-06"),
        ("12 يونيو 2014", "2014-06-12"),
        ("١٢ يونيو ٢٠١٤", "2014-06-12"),
        ("حزيران 2014", "2014-06"),
        ("12 تشرين الأول 2014", "2014-10-12"),
        ("Sept. 2014", "2014-09"),
    ],
)
def test_partial_dates_are_read_in_each_language(typed, expected):
    assert PartialDate.parse(typed).isoformat() == expected


@pytest.mark.parametrize(
    ("language", "month", "day"),
    [
        ("en", "June 2014", "12 June 2014"),
        ("uk", "червень 2014", "12 червня 2014"),
        ("ru", "июнь 2014", "12 июня 2014"),
        ("ar", "يونيو 2014", "12 يونيو 2014"),
    ],
)
def test_partial_dates_are_shown_in_each_language(language, month, day):
    with translation.override(language):
        assert str(PartialDate.parse("June 2014")) == month
        assert str(PartialDate.parse("2014-06-12")) == day


def test_a_date_that_does_not_exist_is_refused_in_any_language():
    with pytest.raises(ValueError, match="not a real date"):
        PartialDate.parse("31 червня 2014")


def test_the_browsers_language_is_used_until_the_person_chooses(client, researcher):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    client.force_login(researcher)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="uk" dir="ltr">' in page.content.decode()
    assert page["Content-Language"] == "uk"


def test_the_chosen_language_is_kept_with_the_account(client, researcher):
    client.force_login(researcher)
    response = client.post(reverse("accounts:language"), {"language": "ar", "next": "/claims/"})
    assert response.url == "/claims/"
    assert Preferences.objects.get(user=researcher).language == "ar"
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'dir="rtl"' in page.content.decode()
    # Another browser: the account's choice comes with the sign-in.
    other = type(client)()
    other.force_login(researcher)
    assert '<html lang="ar"' in other.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Back to the browser's own.
    client.post(reverse("accounts:language"), {"language": ""})
    assert Preferences.objects.get(user=researcher).language == ""
    assert '<html lang="ru"' in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_the_sign_in_page_switches_language_without_an_account(client):
    response = client.post(
        reverse("accounts:language"), {"language": "uk", "next": "/accounts/login/"}
    )
    assert response.cookies["django_language"].value == "uk"
    assert '<html lang="uk"' in client.get(reverse("login")).content.decode()


def test_an_unknown_language_or_an_outside_next_is_ignored(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("accounts:language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")
    assert Preferences.objects.get(user=researcher).language == ""


def test_the_apis_errors_follow_accept_language(researcher):
    api = APIClient()
    answers = {
        language: api.get("/api/v1/claims/", HTTP_ACCEPT_LANGUAGE=language).json()["detail"]
        for language in ("en", "uk", "ru", "ar")
    }
    assert answers["en"] == "Authentication credentials were not provided."
    assert len(set(answers.values())) == 4  # each in its own language
    assert answers["uk"] == "Реквізити перевірки достовірності не надані."


def test_the_api_follows_accept_language_over_the_accounts_choice(client, researcher):
    client.force_login(researcher)
    client.post(reverse("accounts:language"), {"language": "ar"})
    answer = client.get("/api/v1/claims/999999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404 and answer.json()["detail"] == "Not found."
    answer = client.get("/api/v1/claims/999999999/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert answer.json()["detail"] == "Страница не найдена."
