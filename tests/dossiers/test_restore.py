"""import_dossier: a claim restored from another instance's ZIP or JSON, files verified
first, and an export -> import -> export round trip that gives the same content."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from claims.models import Claim, Claimant
from core.models import HistoryEntry, HistoryHead
from dossiers import export
from dossiers.build import build
from dossiers.restore import comparable
from evidence.models import CustodyEvent, EvidenceItem

# The importers write into the only investigation when none is named.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("investigation")]

TANKS = "The three unmarked tanks seen in eastern Ukraine on 12 June 2014 came from Russia."


def _wipe() -> None:
    """Empty the database, as on another instance (keeping users, groups and permissions)."""
    tables = ["teamwork_watch", "teamwork_notification", "teamwork_assignment",
              "teamwork_comment_mentioned", "teamwork_comment",
              "evidence_custodyevent", "evidence_evidencelink", "evidence_evidenceitem",
              "claims_attribution", "claims_denial", "claims_source", "claims_claim_tags",
              "claims_claim_related", "claims_importedfrom", "claims_pendingrelation",
              "claims_claim", "claims_tag", "claims_claimant", "corroborate_historyentry",
              "corroborate_historyhead"]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            if table == "claims_claimant":
                cursor.execute(f"UPDATE {table} SET parent_id = NULL")
            cursor.execute(f"DELETE FROM {table}")
    assert not Claim.objects.exists() and not HistoryEntry.objects.exists()


def _export_zip(claim, path) -> None:
    export.write_zip(
        export.dossier_members(build(claim.pk, include_unreviewed=True)), path, exported_by=None
    )


def _restore(path) -> str:
    out = io.StringIO()
    call_command("import_dossier", str(path), "--investigation", "nato-ukraine-2014", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Claim.objects.get(statement=TANKS)


def test_zip_round_trip_gives_the_same_content(demo, tmp_path):
    claims = list(Claim.objects.all())
    before = {c.uuid: comparable(build(c.pk, include_unreviewed=True).data) for c in claims}
    for claim in claims:
        _export_zip(claim, tmp_path / f"{claim.uuid}.zip")
    _wipe()
    for claim in claims:  # related claims are linked as each arrives
        assert "1 created" in _restore(tmp_path / f"{claim.uuid}.zip")
    for uuid, content in before.items():
        restored = Claim.objects.get(uuid=uuid)
        assert comparable(build(restored.pk, include_unreviewed=True).data) == content
    for item in EvidenceItem.objects.exclude(file=""):  # files came back byte for byte
        with item.file.open("rb") as stored:
            import hashlib

            assert hashlib.sha256(stored.read()).hexdigest() == item.sha256


def test_restoring_twice_changes_nothing(demo, tmp_path):
    _export_zip(demo, tmp_path / "out.zip")
    counts = (Claim.objects.count(), EvidenceItem.objects.count(), Claimant.objects.count())
    assert "1 unchanged" in _restore(tmp_path / "out.zip")
    assert (Claim.objects.count(), EvidenceItem.objects.count(), Claimant.objects.count()) == counts


def test_json_restores_without_files(demo, tmp_path):
    path = tmp_path / "out.json"
    path.write_bytes(export.render_json(build(demo.pk)))
    _wipe()
    _restore(path)
    restored = Claim.objects.get(uuid=demo.uuid)
    assert restored.denials.get().quote == "another fake piece of information"
    assert [c.name for c in Claimant.objects.get(name="Arsen Avakov").ancestors()] == [
        "Ministry of Internal Affairs of Ukraine", "Government of Ukraine"
    ]  # fmt: skip


def test_an_altered_file_is_refused_before_anything_is_written(demo, tmp_path):
    _export_zip(demo, tmp_path / "out.zip")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tmp_path / "out.zip") as source, zipfile.ZipFile(tampered, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("evidence/") and "05-30" in info.filename:
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.writestr(info, data)
    _wipe()
    with pytest.raises(CommandError, match=r"does not match its SHA-256 .*: it was altered"):
        _restore(tampered)
    assert not Claim.objects.exists() and not EvidenceItem.objects.exists()
    assert not CustodyEvent.objects.exists() and not HistoryHead.objects.exists()


def test_files_that_are_not_dossiers_are_refused(demo, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(CommandError, match="not a Corroborate dossier"):
        _restore(tmp_path / "a.json")
    (tmp_path / "b.json").write_text("{not json")
    with pytest.raises(CommandError, match="not a dossier: not JSON"):
        _restore(tmp_path / "b.json")
    with pytest.raises(CommandError, match="no such file"):
        _restore(tmp_path / "missing.zip")


def _restore_noting(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_dossier", str(path), "--investigation", "nato-ukraine-2014",
                 stdout=out, stderr=err)  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_a_signed_bundle_says_what_vouches_for_it(demo, tmp_path):
    _export_zip(demo, tmp_path / "out.zip")
    _wipe()
    out, err = _restore_noting(tmp_path / "out.zip")
    assert "1 created" in out
    assert "signature: valid, by key sha256:" in err
    assert "timestamp: none: " in err  # no authority in this test


def test_a_bundle_failing_its_own_verification_is_refused(demo, tmp_path):
    _export_zip(demo, tmp_path / "out.zip")
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(tmp_path / "out.zip") as source, zipfile.ZipFile(forged, "w") as out:
        for info in source.infolist():  # what the restore's own checks do not read
            data = source.read(info)
            out.writestr(info, data + b"\nAdded later." if info.filename == "README.txt" else data)
    _wipe()
    with pytest.raises(CommandError, match=r"fails its own verification: files: README\.txt was"):
        _restore(forged)
    assert not Claim.objects.exists()


def test_a_bundle_from_before_signatures_restores_with_a_note(demo, tmp_path):
    _export_zip(demo, tmp_path / "out.zip")
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(tmp_path / "out.zip") as source, zipfile.ZipFile(unsigned, "w") as out:
        for info in source.infolist():
            if not info.filename.startswith(("manifest.json", "verify.py")):
                out.writestr(info, source.read(info))
    _wipe()
    out, err = _restore_noting(unsigned)
    assert "1 created" in out and "carries no signed manifest" in err
