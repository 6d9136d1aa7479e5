"""Settings read the environment strictly; production refuses unsafe configurations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k3y-" + "x7Qm9vR2pL5sT8wZ1cF4hJ6nB0dG3aE" * 2


@pytest.mark.parametrize("raw", ["1", "true", "Yes", "ON"])
def test_env_bool_accepts_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_env_bool_accepts_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=True) is False


def test_env_bool_rejects_an_unknown_value(monkeypatch):
    monkeypatch.setenv("FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="FLAG='flase' is not a boolean"):
        env_bool("FLAG", default=False)


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="corroborate.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_a_typo_in_debug_stops_start_up():
    result = _manage("check", DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture' is not a boolean" in result.stderr


def test_deploy_check_passes_with_debug_off_a_real_secret_and_a_signing_key(signing_key_file):
    production = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "corroborate.example",
    }
    check = ("check", "--deploy", "--fail-level", "WARNING")
    result = _manage(*check, **production, SIGNING_KEY_FILE=str(signing_key_file))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # Without a key, ZIP dossiers could not be signed: start-up says so.
    missing = signing_key_file.parent / "absent.pem"
    result = _manage(*check, **production, SIGNING_KEY_FILE=str(missing))
    assert result.returncode != 0
    assert f"(proofs.W001) This instance has no signing key ({missing})" in result.stderr


def test_database_url_selects_the_engine():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somewhere",
    )
    assert result.stdout.strip().endswith("django.db.backends.postgresql"), result.stderr


def test_sqlite_is_the_default_database():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'])",
    )
    engine, name = result.stdout.split()[-2:]
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "corroborate.sqlite3")


def test_the_evidence_store_is_chosen_strictly():
    wrong = _manage("check", EVIDENCE_STORAGE="ftp")
    assert wrong.returncode != 0 and "EVIDENCE_STORAGE='ftp': use local or s3." in wrong.stderr
    unnamed = _manage("check", EVIDENCE_STORAGE="s3")
    assert unnamed.returncode != 0 and "EVIDENCE_STORAGE=s3 needs S3_BUCKET" in unnamed.stderr
    named = _manage("check", EVIDENCE_STORAGE="s3", S3_BUCKET="evidence",
                    S3_ENDPOINT_URL="http://127.0.0.1:9")  # fmt: skip
    assert named.returncode == 0, named.stderr


def test_security_settings_come_from_the_environment():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()), s.SIGN_IN_FAILURE_DELAY, "
        "s.SESSION_COOKIE_AGE, s.TWO_FACTOR_REQUIRED_FOR_STAFF, s.PASSWORD_SIGN_IN)",
        SIGN_IN_FAILURE_LIMIT="7",
        SIGN_IN_LOCKOUT_MINUTES="30",
        SIGN_IN_FAILURE_DELAY="0.5",
        SESSION_IDLE_MINUTES="20",
        TWO_FACTOR_REQUIRED_FOR_STAFF="yes",
    )
    assert result.stdout.split()[-6:] == ["7", "1800", "0.5", "1200", "True", "True"], result.stderr


def test_two_factor_is_required_of_staff_in_production_by_default():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_STAFF)",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="corroborate.example",
    )
    assert result.stdout.split()[-1] == "True", result.stderr


def test_single_sign_on_is_configured_strictly():
    half = _manage("check", OIDC_RP_CLIENT_ID="corroborate")
    assert half.returncode != 0
    assert "Single sign-on needs OIDC_OP_AUTHORIZATION_ENDPOINT" in half.stderr
    alone = _manage("check", PASSWORD_SIGN_IN="false")
    assert alone.returncode != 0 and "PASSWORD_SIGN_IN=false needs single sign-on" in alone.stderr
    full = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)",
        OIDC_RP_CLIENT_ID="corroborate",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://id.example/auth",
        OIDC_OP_TOKEN_ENDPOINT="https://id.example/token",
        OIDC_OP_USER_ENDPOINT="https://id.example/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://id.example/jwks",
        PASSWORD_SIGN_IN="false",
    )
    assert "accounts.oidc.OrganisationBackend" in full.stdout, full.stderr
    assert "ModelBackend" not in full.stdout


def test_a_bad_delay_stops_start_up():
    result = _manage("check", SIGN_IN_FAILURE_DELAY="soon")
    assert result.returncode != 0 and "SIGN_IN_FAILURE_DELAY='soon'" in result.stderr


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_added():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; from django.test import RequestFactory;"
        "from accounts.services import client_address;"
        "r = RequestFactory().get('/', HTTP_X_FORWARDED_FOR='6.6.6.6, 203.0.113.9',"
        " REMOTE_ADDR='10.0.0.1'); print(client_address(r))",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="corroborate.example",
        DJANGO_BEHIND_TLS_PROXY="true",
    )
    assert result.stdout.split()[-1] == "203.0.113.9", result.stderr
