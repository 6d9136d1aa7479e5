"""/healthz: no login, 200 when the database, the storage and the broker (when there is
one) answer, 503 naming the part that does not, and nothing else revealed."""

from unittest import mock

import pytest
from django.db import OperationalError

from tests.brokers import redis_server

pytestmark = pytest.mark.django_db


def test_healthy_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "failing": []}
    assert response["Cache-Control"] == "no-store"


def test_a_database_that_does_not_answer_is_named(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute",
                    side_effect=OperationalError("connection refused")):  # fmt: skip
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "failing": ["database"]}


def test_a_storage_that_does_not_answer_is_named(client):
    with mock.patch("django.core.files.storage.default_storage.exists",
                    side_effect=OSError("mount gone")):  # fmt: skip
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "failing": ["storage"]}
    assert "mount gone" not in response.content.decode()  # the reason stays in the logs


def test_a_broker_is_checked_when_configured_and_a_stopped_one_is_named(client, settings, tmp_path):
    with redis_server(tmp_path) as (url, process):
        settings.CELERY_BROKER_URL = url
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json()["failing"] == []
        process.terminate()
        process.wait(timeout=20)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "failing": ["broker"]}
    assert "127.0.0.1" not in response.content.decode()
