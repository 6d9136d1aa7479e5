"""The embedded SQLite default survives writers at once (it answered "database is locked"
to two API requests that wrote together). Runs on a file database of its own in a
subprocess, whatever engine the suite itself uses."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WRITERS = """
import threading
from django.contrib.auth import get_user_model
from django.db import connection
from claims.services import claim_create, claim_update
from investigations.services import investigation_create

user = get_user_model().objects.create_user("writer")
place = investigation_create(name="Writers", slug="writers", by=None)
claims = [claim_create(investigation=place, statement=f"Claim {n}", by=user) for n in range(8)]
print("journal", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
failures = []

def write(claim):
    try:
        for n in range(15):
            claim_update(claim=claim, data={"details": f"edit {n}"}, by=user)
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(claim,)) for claim in claims]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("failures", len(failures), failures[:1])
"""


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_concurrent_writers_wait_their_turn_instead_of_failing(tmp_path):
    database = tmp_path / "writers.sqlite3"
    assert _manage("migrate", "--noinput", database=database).returncode == 0
    result = _manage("shell", "-c", WRITERS, database=database)
    assert result.returncode == 0, result.stderr
    assert "journal wal" in result.stdout
    assert "failures 0 []" in result.stdout, result.stdout
