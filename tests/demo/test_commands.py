import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_account_is_created_once_with_a_fresh_password(capsys):
    call_command("demo_account")
    out = capsys.readouterr().out
    password = out.split("password:")[1].split()[0]
    user = authenticate(username="demo", password=password)
    assert user is not None and user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {"Researchers", "Reviewers"}

    call_command("demo_account")
    again = capsys.readouterr().out
    assert "password:" not in again and "changepassword demo" in again
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert authenticate(username="demo", password=password) is not None


def test_demo_passwords_differ_between_installations(capsys):
    call_command("demo_account")
    first = capsys.readouterr().out.split("password:")[1].split()[0]
    get_user_model().objects.filter(username="demo").delete()
    call_command("demo_account")
    second = capsys.readouterr().out.split("password:")[1].split()[0]
    assert first != second and len(first) >= 16


def test_migrations_are_in_step_with_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
