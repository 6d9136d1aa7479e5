"""The interface in English, Ukrainian, Russian and Arabic: how the language is chosen,
right to left for Arabic, and dates in each language, typed and shown."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Preferences
from core.dates import PartialDate

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


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


# Commands speak the instance's language (CORROBORATE_LANGUAGE, which sets LANGUAGE_CODE).

NEWS_ITEM = """### [2014-11-12](/news/2014/11/12/index.md)

# Танки перетнули кордон біля Новоазовська.

### Sources:

1. [BBC](http://www.bbc.com/news/world-europe-1)
Voice of America, somewhere
"""


@pytest.fixture
def instance_language(settings):
    def choose(code: str) -> None:
        settings.LANGUAGE_CODE = code
        translation.deactivate()  # nothing active: a command runs in LANGUAGE_CODE

    yield choose
    translation.deactivate()


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_commands_print_and_refuse_in_the_instances_language(instance_language, researcher):
    instance_language("uk")
    out, _ = _run("investigation", "create", "donbas", "--name", "Донбас")
    assert out.strip() == "Створено «Донбас» (donbas)."
    out, _ = _run("investigation", "add-member", "donbas", "rita", "--role", "reviewer")
    assert out.strip() == "rita — рецензент у donbas."
    with pytest.raises(CommandError, match=r"^Немає користувача «nobody»\.$"):
        _run("investigation", "add-member", "donbas", "nobody", "--role", "viewer")
    out, _ = _run("verify_log")
    assert out.startswith("Історію перевірено: ") and ", голова " in out

    instance_language("ru")
    out, _ = _run("investigation", "list")
    assert "donbas: Донбас — rita (рецензент)" in out
    with pytest.raises(CommandError, match=r"^Нет расследования «nowhere»"):
        _run("import_events", "x.md", "--investigation", "nowhere")


def test_an_import_reports_its_outcome_and_warnings_in_the_instances_language(
    instance_language, investigation, tmp_path
):
    path = tmp_path / "a.md"
    path.write_text(NEWS_ITEM, encoding="utf-8")
    instance_language("uk")
    out, err = _run("import_events", str(path))
    assert out.strip() == (
        "Імпортовано новини: створено: 1, оновлено: 0, без змін: 0, об’єднано: 0, "
        "пропущено: 0, 1 попередження."
    )
    assert f"попередження: {path}:8: незрозуміле, пропущено: «Voice of America, somewhere»" in err
    with pytest.raises(CommandError) as refused:
        _run("import_events", str(tmp_path / "missing"))
    assert str(refused.value) == (
        f"Нічого не імпортовано. {tmp_path / 'missing'}:0: такого файлу чи теки немає"
    )


def test_counts_take_each_languages_plural_forms(instance_language):
    instance_language("ar")
    out, _ = _run("load_demo")
    assert out.startswith("حُمّلت القضية التجريبية؛ أُنشئ: ")
    assert "ادعاءات" in out or "ادعاءً" in out  # the demo's claims, counted in Arabic
    instance_language("ru")
    out, _ = _run("load_demo")
    assert out.strip() == "Демонстрационное дело уже загружено; ничего не изменилось."


def test_the_instances_language_comes_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_"))}
    env.pop("DATABASE_URL", None)

    def manage(*args, language):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, "CORROBORATE_LANGUAGE": language},
            capture_output=True,
            text=True,
            timeout=120,
        )

    ukrainian = manage("storage_copy", "--to", "s3", language="uk")
    assert ukrainian.returncode == 1
    assert "Кошик не налаштовано: задайте S3_BUCKET" in ukrainian.stderr
    unknown = manage("check", language="klingon")
    assert unknown.returncode != 0
    assert unknown.stderr.strip() == (
        "manage.py: CORROBORATE_LANGUAGE='klingon' is not one of en, uk, ru, ar."
    )


def test_the_history_shows_stored_choices_in_the_readers_language(client, researcher):
    from claims.services import claim_update
    from tests.factories import ClaimFactory

    claim = ClaimFactory(statement="Tanks crossed near Novoazovsk", verdict="unverified")
    claim_update(claim=claim, data={"verdict": "refuted"}, by=researcher)
    client.force_login(researcher)
    page = client.get(reverse("claims:claim_detail", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="uk")
    history = page.content.decode().split('<ol class="history">')[1].split("</ol>")[0]
    assert "Вердикт" in history and "Спростовано" in history and "Не перевірено" in history
    assert "Refuted" not in history
    # Stored in English all the same, and other values shown as they are.
    from core.history import field_value

    with translation.override("uk"):
        assert field_value("Refuted", "Verdict") == "Спростовано"
        assert field_value("Refuted", "Statement") == "Refuted"
        assert field_value(3, "Verdict") == 3
