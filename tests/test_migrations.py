"""An existing database migrates forward intact: the demo case loaded by the code as it was
before the apps were re-layered (issue 10) is migrated by today's code, and every table
keeps its rows and the history chain still verifies.

Runs on the suite's engine: a throwaway SQLite file, or a throwaway PostgreSQL database on
the same server.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from dossiers.restore import comparable

ROOT = Path(__file__).resolve().parents[1]
# main before the re-layering: the shared code still lived in the settings package.
BEFORE = "cc9f6df"

COUNTS = """
import json
from django.apps import apps
print("COUNTS " + json.dumps({m._meta.label: m._default_manager.count()
                               for m in apps.get_models()}, sort_keys=True))
"""


TANKS = """
from claims.models import Claim
print(Claim.objects.get(statement__startswith="The three unmarked tanks").uuid)
"""

# What the migrations filled in for existing claims (search documents, tallies) against
# what the services compute from the same rows.
DERIVED = """
from claims.models import TALLY, Claim, Denial
from claims.services import claims_search_refresh
from evidence.tally import claims_tally_refresh
fields = ["search_text", *TALLY]
stored = list(Claim.objects.order_by("pk").values_list(*fields))
ids = list(Claim.objects.values_list("pk", flat=True))
claims_search_refresh(ids)
claims_tally_refresh(ids)
for pk in ids:
    Claim.objects.filter(pk=pk).update(denial_count=Denial.objects.filter(claim_id=pk).count())
fresh = list(Claim.objects.order_by("pk").values_list(*fields))
print("DERIVED", "same" if stored == fresh else f"differ: {stored} != {fresh}")
print("DENIED", sum(row[-1] for row in fresh), "SUPPORTED", sum(row[3] for row in fresh))
"""

ONE_PLACE = """
from claims.models import Claim
from evidence.models import EvidenceItem
from investigations.models import Investigation
place = Investigation.objects.get(slug="first")
roles = sorted(place.memberships.values_list("role", flat=True))
print(f"claims {place.claims.count()}, evidence {place.evidence_items.count()}, "
      f"roles {' '.join(roles)}")
"""


def _run(cwd: Path, *args: str, database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true",
           "MEDIA_ROOT": str(cwd / "media")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def _counts(output: str) -> dict[str, int]:
    line = next(line for line in output.splitlines() if line.startswith("COUNTS "))
    return json.loads(line.removeprefix("COUNTS "))


@pytest.fixture
def database_url(tmp_path):
    """A database of its own, on the engine the suite runs on."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        yield f"sqlite:///{tmp_path / 'existing.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"corroborate_migrations_{uuid.uuid4().hex[:8]}"
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"], "dbname": "postgres", "autocommit": True}  # fmt: skip
    with psycopg.connect(**server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    yield f"postgres://{credentials}{db['HOST']}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(**server) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_demo_database_of_the_previous_layout_migrates_forward_intact(tmp_path, database_url):
    before = tmp_path / "before"
    before.mkdir()
    archive = subprocess.run(
        ["git", "archive", BEFORE], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)

    _run(before, "migrate", "--noinput", database_url=database_url)
    _run(before, "load_demo", database_url=database_url)
    tanks = _run(before, "shell", "-c", TANKS, database_url=database_url).split()[-1]
    _run(before, "export_dossier", tanks, "--format", "json", "--output",
         str(tmp_path / "before.json"), database_url=database_url)  # fmt: skip
    old = _counts(_run(before, "shell", "-c", COUNTS, database_url=database_url))
    assert old["claims.Claim"] == 4 and old["corroborate.HistoryEntry"] > 0

    _run(ROOT, "migrate", "--noinput", database_url=database_url)
    new = _counts(_run(ROOT, "shell", "-c", COUNTS, database_url=database_url))
    # (the export below adds its own custody entries: counted after this)
    # New models bring their own content types and permissions; every other table is intact.
    grown = {"contenttypes.ContentType", "auth.Permission"}
    assert {label: new.get(label) for label in old if label not in grown} == {
        label: count for label, count in old.items() if label not in grown
    }
    # Everything went into one investigation, whose members are the old groups' members.
    assert new["investigations.Investigation"] == 1
    assert new["investigations.Membership"] == 2  # demo-researcher and demo-reviewer
    one_place = _run(ROOT, "shell", "-c", ONE_PLACE, database_url=database_url)
    assert "claims 4, evidence 7, roles researcher reviewer" in one_place
    assert "History verified" in _run(ROOT, "verify_log", database_url=database_url)
    # Claims that existed are found by search and counted in the list as new ones are.
    derived = _run(ROOT, "shell", "-c", DERIVED, database_url=database_url)
    assert "DERIVED same" in derived, derived
    assert "DENIED 0" not in derived and "SUPPORTED 0" not in derived, derived
    # The claim's dossier says the same as before.
    _run(ROOT, "export_dossier", tanks, "--format", "json", "--output",
         str(tmp_path / "after.json"), database_url=database_url)  # fmt: skip
    dossiers = [json.loads((tmp_path / f"{when}.json").read_text()) for when in ("before", "after")]
    # Content credentials came later: files received before were not read for them.
    for entry in dossiers[1]["evidence"]:
        assert entry.pop("content_credentials") is None
    assert comparable(dossiers[0]) == comparable(dossiers[1])
    # And the data is usable: loading the demo again finds everything already there.
    assert "nothing changed" in _run(ROOT, "load_demo", database_url=database_url)
