"""End to end, as deployed: `make serve` (Gunicorn) and a Celery worker (`make worker`)
against the local Redis, on a database of their own (SQLite, or PostgreSQL when the suite
runs there). A video uploaded through the API is queued, processed by the worker and shows
its keyframes; a task that fails is shown failed with its reason and succeeds on retry."""

import hashlib
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests import files
from tests.brokers import free_port

ROOT = Path(__file__).resolve().parents[1]
BROKER = "redis://127.0.0.1:6379/0"
PASSWORD = "a long enough test password"
SETUP = f"""
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from investigations.models import Investigation, Membership
user = get_user_model().objects.create_user("field", password={PASSWORD!r})
case = Investigation.objects.create(name="Makiivka", slug="makiivka")
Membership.objects.create(investigation=case, user=user, role="lead")
print(Token.objects.create(user=user).key)
"""


def _database(tmp_path):
    """A database URL of the stack's own, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}", lambda: None
    import psycopg

    name = f"corroborate_e2e_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("stack")
    database, drop = _database(tmp_path)
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env = clean | {
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "e2e" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database, "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"), "PORT": str(port),
        "GUNICORN_WORKERS": "2", "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": f"e2e-{uuid.uuid4().hex}",  # nothing else on this Redis takes it
        "DOSSIER_INLINE_MAX_ITEMS": "1",
    }  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "corroborate.serve"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    processes = [server]
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "make serve did not answer"
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        token = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT,
                               env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1]  # fmt: skip

        def start_worker(**extra):
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "corroborate", "worker", "--pool=solo",
                 "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                cwd=ROOT, env=env | extra, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            processes.append(worker)
            return worker

        def stop_workers():
            for worker in processes[1:]:
                worker.terminate()
                worker.wait(timeout=30)

        yield {"base": base, "token": token, "media": tmp_path / "media",
               "worker": start_worker, "stop_workers": stop_workers}  # fmt: skip
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        drop()


def _web_session(base: str) -> requests.Session:
    """Logged in through the login form. The cookies are Secure (debug is off) and this is
    plain HTTP on loopback, so they are sent by hand."""
    web = requests.Session()
    login = web.get(f"{base}/accounts/login/")
    csrf = login.cookies["csrftoken"]
    answer = web.post(
        f"{base}/accounts/login/",
        data={"username": "field", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Cookie": f"csrftoken={csrf}"},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    web.headers["Cookie"] = f"sessionid={answer.cookies['sessionid']}; csrftoken={csrf}"
    web.cookies.clear()
    return web


def _wait_for(api, url: str, states: set[str]) -> dict:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        item = api.get(url).json()
        if item["processing"] in states:
            return item
        time.sleep(0.3)
    raise AssertionError(f"still {item['processing']} after 90 s")


def test_video_through_the_api_is_processed_by_the_worker_and_a_failure_retried(stack, tmp_path):
    base = stack["base"]
    api = requests.Session()
    api.headers["Authorization"] = f"Token {stack['token']}"

    def upload(name: str, seconds: float) -> dict:
        data = files.video(tmp_path / name, seconds=seconds)
        response = api.post(
            f"{base}/api/v1/evidence/",
            data={"investigation": "makiivka", "kind": "video", "title": name},
            files={"file": (name, data, "video/mp4")},
        )
        assert response.status_code == 201, response.text
        return response.json()

    first, second = upload("t64.mp4", 3), upload("column.mp4", 2)
    # No worker yet: the upload answered at once, the work waits on the queue.
    assert first["processing"] == second["processing"] == "queued"
    assert first["metadata"]["video"]["width"] == 160
    # The storage loses the second original for a while.
    original = next(
        path for path in (stack["media"] / "evidence" / "originals").rglob("*")
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == second["sha256"]
    )  # fmt: skip
    away = original.with_name("away")
    original.rename(away)

    stack["worker"]()
    done = _wait_for(api, f"{base}/api/v1/evidence/{first['id']}/", {"ready", "failed"})
    assert done["processing"] == "ready", done["processing_error"]
    assert done["metadata"]["video"]["duration_seconds"] == pytest.approx(3.0, abs=0.2)
    web = _web_session(base)
    page = web.get(f"{base}/evidence/{first['id']}/").text
    assert f"/evidence/{first['id']}/strip" in page and "Keyframes across the video" in page
    strip = web.get(f"{base}/evidence/{first['id']}/strip")
    assert strip.status_code == 200 and strip.headers["Content-Type"] == "image/jpeg"

    failed = _wait_for(api, f"{base}/api/v1/evidence/{second['id']}/", {"ready", "failed"})
    assert failed["processing"] == "failed"
    assert failed["processing_error"] == "The stored file is missing."
    page = web.get(f"{base}/evidence/{second['id']}/").text
    assert "Processing failed" in page and "The stored file is missing." in page
    assert re.search(rf'action="/evidence/{second["id"]}/processing/retry/"', page)

    away.rename(original)
    retried = api.post(f"{base}/api/v1/evidence/{second['id']}/retry/")
    assert retried.status_code == 200 and retried.json()["processing"] in (
        "queued",
        "processing",
        "ready",
    )
    ready = _wait_for(api, f"{base}/api/v1/evidence/{second['id']}/", {"ready", "failed"})
    assert ready["processing"] == "ready" and ready["processing_error"] == ""
    assert web.get(f"{base}/evidence/{second['id']}/strip").status_code == 200


def test_a_worker_killed_mid_task_leaves_nothing_half_written_and_the_task_runs_again(
    stack, tmp_path
):
    """A dossier is being laid out when its worker is killed (SIGKILL: no goodbye). The
    task was never acknowledged, so another worker takes it again and finishes it; the
    prepared file is there once, whole."""
    stack["stop_workers"]()
    base = stack["base"]
    api = requests.Session()
    api.headers["Authorization"] = f"Token {stack['token']}"
    claim = api.post(f"{base}/api/v1/claims/", json={
        "investigation": "makiivka", "statement": "T-64 tanks were filmed in Makiivka.",
    }).json()["id"]  # fmt: skip
    for index in range(40):
        item = api.post(
            f"{base}/api/v1/evidence/",
            data={"investigation": "makiivka", "kind": "photo", "title": f"Frame {index}"},
            files={"file": (f"f{index}.png", files.png(64, 48, (index * 6, 90, 140)), "image/png")},
        ).json()["id"]
        api.post(f"{base}/api/v1/links/", json={"claim": claim, "evidence": item,
                                                 "relation": "supports"})  # fmt: skip
    web = _web_session(base)
    asked = web.get(f"{base}/claims/{claim}/dossier.pdf?unreviewed=1", allow_redirects=False)
    assert asked.status_code == 302
    status = base + asked.headers["Location"] + "status"
    assert web.get(status).json()["state"] == "queued"

    first = stack["worker"]()
    deadline = time.monotonic() + 60
    while web.get(status).json()["state"] != "processing":
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    first.kill()
    first.wait(timeout=30)
    time.sleep(3)
    assert web.get(status).json()["state"] == "processing"  # nobody is on it now

    # Another worker, told that a task unacknowledged for 2 s was abandoned.
    stack["worker"](CELERY_VISIBILITY_TIMEOUT="2")
    deadline = time.monotonic() + 90
    while (state := web.get(status).json())["state"] == "processing":
        assert time.monotonic() < deadline, "the abandoned task did not run again"
        time.sleep(0.3)
    assert state["state"] == "ready", state
    page = web.get(base + asked.headers["Location"]).text
    download = re.search(r'href="(/dossiers/[^"]+/download)"', page).group(1)
    pdf = web.get(base + download).content
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    prepared = list((stack["media"] / "dossiers").rglob("*.pdf"))
    assert len(prepared) == 1 and prepared[0].read_bytes() == pdf
