"""Dossiers a court can check without trusting us: the signed manifest, the timestamp, and
the verifier (the command, and the verify.py inside every ZIP, run in a clean virtualenv
with nothing but `cryptography`), against real tokens from a local authority."""

import io
import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.services import claim_create
from evidence.services import evidence_create, evidence_link_create
from proofs import verify
from proofs.keys import current_key
from tests.factories import default_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(researcher):
    claim = claim_create(
        investigation=default_investigation(),
        statement="Three unmarked tanks came from Russia",
        by=researcher,
    )
    item = evidence_create(
        investigation=default_investigation(),
        kind="document",
        title="Interior Minister's statement",
        file=ContentFile(b"Three tanks crossed at Marynivka.\n" * 40, name="statement.txt"),
        by=researcher,
    )
    evidence_link_create(claim=claim, evidence=item, relation="supports", by=researcher)
    return claim


def _export(claim, folder: Path, name: str = "dossier.zip", user: str | None = None) -> Path:
    path = folder / name
    extra = ["--user", user] if user else []
    arguments = ["--format", "zip", "--output", str(path), "--include-unreviewed", *extra]
    call_command("export_dossier", str(claim.pk), *arguments, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    return path


def _public_key(folder: Path) -> Path:
    path = folder / "instance-key.pem"
    path.write_text(current_key().public_pem)
    return path


def _verify(path: Path, *args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_dossier", str(path), *args, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def _rewrite(path: Path, target: Path, change) -> Path:
    """A copy of the ZIP with `change(name, data)` applied to every member's bytes: a
    forger's ZIP, with correct ZIP checksums."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return target


def _flip(name: str):
    def change(member: str, data: bytes) -> bytes:
        if member != name:
            return data
        flipped = bytearray(data)
        flipped[len(flipped) // 2] ^= 0x01
        return bytes(flipped)

    return change


def test_an_exported_zip_carries_a_signed_timestamped_manifest_of_every_file(
    claim, researcher, tsa, tmp_path
):
    path = _export(claim, tmp_path, user=researcher.username)
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        manifest = json.loads(bundle.read(verify.MANIFEST))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        assert set(listed) == names - verify.SEALS
        assert {"dossier.json", "dossier.pdf", "dossier.html", "README.txt", "verify.py"} <= set(
            listed
        )
        for name, entry in listed.items():
            assert entry["size"] == bundle.getinfo(name).file_size
        sums = bundle.read(verify.SUMS).decode().splitlines()
        assert {line.split("  ", 1)[1] for line in sums} == names - {verify.SUMS}
        readme = bundle.read("README.txt").decode()
    assert manifest["claims"] == [str(claim.uuid)]
    assert manifest["exported_by"] == researcher.username
    assert manifest["history_head"]["hash"] and manifest["history_head"]["seq"] > 0
    assert manifest["signing_key"]["fingerprint"] == current_key().fingerprint
    assert manifest["instance"]["keys_url"].endswith("/.well-known/corroborate-signing-keys.json")
    assert verify.TOKEN in names and verify.NO_TOKEN not in names, zipfile.ZipFile(path).read(
        verify.NO_TOKEN
    )
    assert len(tsa.requests) == 1
    assert "python3 verify.py" in readme and "manifest.json.sig" in readme


def test_the_command_and_openssl_accept_the_dossier(claim, tsa, tmp_path):
    path = _export(claim, tmp_path)
    passed, out = _verify(path, "--public-key", str(_public_key(tmp_path)),
                          "--tsa-cert", str(tsa.ca))  # fmt: skip
    assert passed, out
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["OK"] * 6, out
    assert any("timestamp: the manifest existed on" in line and "Test TSA Root" in line
               for line in lines)  # fmt: skip
    # Anyone's OpenSSL agrees about the timestamp: nothing of ours in between.
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(path).extractall(folder)
    openssl = subprocess.run(
        ["openssl", "ts", "-verify", "-data", "manifest.json", "-in", "manifest.json.tsr",
         "-CAfile", str(tsa.ca)],
        cwd=folder, capture_output=True, text=True,
    )  # fmt: skip
    assert openssl.returncode == 0 and "Verification: OK" in openssl.stdout
    # ... and the unpacked folder verifies as the ZIP does.
    assert _verify(folder, "--tsa-cert", str(tsa.ca))[0]


@pytest.fixture(scope="session")
def clean_python(tmp_path_factory):
    """A virtualenv with nothing but cryptography: what a court's expert would have."""
    import cryptography

    folder = tmp_path_factory.mktemp("clean-venv")
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", f"cryptography=={cryptography.__version__}"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return python


def _bundled(path: Path, python: Path, *args: str) -> subprocess.CompletedProcess:
    script = path.parent / "verify-from-the-bundle.py"
    script.write_bytes(zipfile.ZipFile(path).read("verify.py"))
    return subprocess.run(
        [python, "-I", str(script), str(path), *args],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


MEMBERS = [
    "evidence",
    "dossier.pdf",
    "dossier.json",
    verify.MANIFEST,
    verify.SIGNATURE,
    verify.TOKEN,
]


def test_the_bundled_script_checks_the_dossier_and_names_each_changed_member(
    claim, tsa, tmp_path, clean_python
):
    path = _export(claim, tmp_path)
    key = _public_key(tmp_path)
    result = _bundled(path, clean_python, "--public-key", str(key), "--tsa-cert", str(tsa.ca))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("OK ") == 6
    evidence = next(n for n in zipfile.ZipFile(path).namelist() if n.startswith("evidence/"))
    for member in MEMBERS:
        name = evidence if member == "evidence" else member
        forged = _rewrite(path, tmp_path / f"forged-{member.replace('/', '_')}.zip", _flip(name))
        result = _bundled(forged, clean_python, "--public-key", str(key), "--tsa-cert", str(tsa.ca))
        failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
        assert result.returncode == 1, (member, result.stdout)
        named = {
            "evidence": name in " ".join(failed),
            "dossier.pdf": "dossier.pdf was altered" in " ".join(failed),
            "dossier.json": "dossier.json was altered" in " ".join(failed),
            verify.MANIFEST: any(line.startswith("FAILED  signature") for line in failed)
            and any("timestamp: the token is for another document" in line for line in failed),
            verify.SIGNATURE: "FAILED  signature: it does not match the manifest: one of them "
            "was altered" in failed,
            verify.TOKEN: any(line.startswith("FAILED  timestamp") for line in failed),
        }[member]
        assert named, (member, result.stdout)
        assert f"{name} does not match its line" in result.stdout  # SHA256SUMS as well


def _contents(path: Path) -> list[range]:
    """Where each member's bytes lie in the ZIP."""
    data, spans = path.read_bytes(), []
    for info in zipfile.ZipFile(path).infolist():
        at = info.header_offset
        start = at + 30 + int.from_bytes(data[at + 26 : at + 28], "little")
        start += int.from_bytes(data[at + 28 : at + 30], "little")
        spans.append(range(start, start + info.compress_size))
    return spans


def test_a_changed_byte_anywhere_in_the_zip_fails_it(claim, tsa, tmp_path):
    path = _export(claim, tmp_path)
    data = path.read_bytes()
    assert verify.check_structure(path) == []
    contents = _contents(path)
    # Every byte around the files: headers, descriptors, the directory, its end record.
    around = [i for i in range(len(data)) if not any(i in span for span in contents)]
    forged = tmp_path / "byte.zip"
    unseen = []
    for offset in around:
        changed = bytearray(data)
        changed[offset] ^= 0x01
        forged.write_bytes(bytes(changed))
        if not verify.check_structure(forged):
            unseen.append(offset)
    assert len(around) > 500 and unseen == []
    # Inside the files, and the whole verifier, at a few places of each kind.
    for offset in (around[5], contents[0][10], contents[-1][3], len(data) // 2, len(data) - 30):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        forged.write_bytes(bytes(changed))
        assert not _verify(forged, "--tsa-cert", str(tsa.ca))[0], offset


def test_a_zip_timestamped_later_keeps_a_sound_structure(claim, tsa, tmp_path):
    tsa.down = True
    path = _export(claim, tmp_path)
    tsa.down = False
    call_command("timestamp_dossier", str(path), stdout=io.StringIO())
    assert verify.check_structure(path) == []
    data = path.read_bytes()
    contents = _contents(path)
    forged = tmp_path / "byte.zip"
    for offset in [i for i in range(0, len(data), 7) if not any(i in s for s in contents)]:
        changed = bytearray(data)
        changed[offset] ^= 0x01
        forged.write_bytes(bytes(changed))
        assert verify.check_structure(forged), offset


def test_a_swapped_signature_a_foreign_manifest_and_a_foreign_token_are_caught(
    claim, researcher, tsa, tmp_path
):
    first = _export(claim, tmp_path, "first.zip")
    other = claim_create(
        investigation=default_investigation(), statement="Russia denies it", by=researcher
    )
    second = _export(other, tmp_path, "second.zip")
    theirs = zipfile.ZipFile(second)

    def swap(*names):
        return lambda name, data: theirs.read(name) if name in names else data

    cases = {
        "signature": (swap(verify.SIGNATURE), "FAILED  signature: it does not match"),
        "manifest": (
            swap(verify.MANIFEST, verify.SIGNATURE, verify.TOKEN),
            "it comes from another dossier",
        ),
        "token": (swap(verify.TOKEN), "FAILED  timestamp: the token is for another document"),
    }
    for case, (change, said) in cases.items():
        forged = _rewrite(first, tmp_path / f"swapped-{case}.zip", change)
        passed, out = _verify(forged, "--tsa-cert", str(tsa.ca))
        assert not passed and said in out, (case, out)
    # A manifest from another dossier also lists files this one does not hold.
    forged = tmp_path / "swapped-manifest.zip"
    assert "dossier.json was altered" in _verify(forged)[1]


def test_a_timestamp_from_an_authority_not_given_is_refused(
    claim, tsa, authority_factory, tmp_path
):
    path = _export(claim, tmp_path)
    stranger = authority_factory("Another TSA")
    passed, out = _verify(path, "--tsa-cert", str(stranger.ca))
    assert not passed
    assert "FAILED  timestamp: the token's signer was not issued by the time-stamping" in out


def test_an_export_with_the_authority_down_says_why_and_a_command_adds_it_later(
    claim, tsa, tmp_path
):
    tsa.down = True
    path = _export(claim, tmp_path)
    with zipfile.ZipFile(path) as bundle:
        assert verify.TOKEN not in bundle.namelist()
        why = bundle.read(verify.NO_TOKEN).decode()
    assert f"The Time-Stamping Authority at {tsa.url} did not answer" in why
    passed, out = _verify(path)
    assert passed and "NOTE    timestamp: none: " in out and "did not answer" in out

    with pytest.raises(CommandError, match="did not answer"):
        call_command("timestamp_dossier", str(path), stdout=io.StringIO())
    tsa.down = False
    out = io.StringIO()
    call_command("timestamp_dossier", str(path), stdout=out)
    assert out.getvalue().startswith(f"Timestamped {path}: ")
    passed, out = _verify(
        path, "--public-key", str(_public_key(tmp_path)), "--tsa-cert", str(tsa.ca)
    )
    assert passed and "OK      timestamp: the manifest existed on" in out, out
    assert verify.NO_TOKEN not in zipfile.ZipFile(path).namelist()
    with pytest.raises(CommandError, match="is timestamped already"):
        call_command("timestamp_dossier", str(path), stdout=io.StringIO())


def test_without_an_authority_the_dossier_is_signed_and_says_it_has_no_timestamp(claim, tmp_path):
    path = _export(claim, tmp_path)
    why = zipfile.ZipFile(path).read(verify.NO_TOKEN).decode()
    assert "no Time-Stamping Authority configured (TIMESTAMP_URL)" in why
    passed, out = _verify(path, "--public-key", str(_public_key(tmp_path)))
    assert passed and "OK      signature: valid, by the given key" in out


def test_a_zip_downloaded_from_the_claim_page_verifies(client, researcher, claim, tsa, tmp_path):
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_dossier", args=[claim.pk, "zip"]))
    path = tmp_path / "downloaded.zip"
    path.write_bytes(b"".join(response.streaming_content))
    passed, out = _verify(path, "--tsa-cert", str(tsa.ca))
    assert passed, out
    assert json.loads(zipfile.ZipFile(path).read(verify.MANIFEST))["exported_by"] == "rita"


def test_without_a_signing_key_a_zip_is_refused_with_how_to_make_one(
    client, researcher, claim, settings, tmp_path
):
    settings.SIGNING_KEY_FILE = tmp_path / "absent.pem"
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_dossier", args=[claim.pk, "zip"]), follow=True)
    assert "python manage.py signing_key create" in response.content.decode()
    with pytest.raises(CommandError, match="has no signing key"):
        _export(claim, tmp_path)
    assert not (tmp_path / "dossier.zip").exists()


def test_key_rotation_keeps_old_dossiers_verifiable(claim, settings, tmp_path, client, researcher):
    settings.SIGNING_KEY_FILE = tmp_path / "keys" / "signing-key.pem"
    out = io.StringIO()
    call_command("signing_key", "create", stdout=out)
    first_key = current_key()
    assert first_key.fingerprint in out.getvalue()
    old = _export(claim, tmp_path, "old.zip")
    old_pem = _public_key(tmp_path).read_bytes()

    with pytest.raises(CommandError, match="already holds a key; to replace it, add --rotate"):
        call_command("signing_key", "create", stdout=io.StringIO())
    out = io.StringIO()
    call_command("signing_key", "create", "--rotate", stdout=out)
    assert "The previous key was moved to" in out.getvalue()
    assert current_key().fingerprint != first_key.fingerprint
    new = _export(claim, tmp_path, "new.zip")

    # The published list: both keys, the old one with the end of its period.
    client.logout()
    listing = client.get("/.well-known/corroborate-signing-keys.json")
    assert listing.status_code == 200  # no account needed: public keys prove nothing
    keys = listing.json()["keys"]
    assert [k["fingerprint"] for k in keys] == [first_key.fingerprint, current_key().fingerprint]
    assert keys[0]["valid_until"] and keys[1]["valid_until"] is None
    published = tmp_path / "published.json"
    published.write_bytes(listing.content)

    assert _verify(old, "--public-key", str(published))[0]
    assert _verify(new, "--public-key", str(published))[0]
    (tmp_path / "old-key.pem").write_bytes(old_pem)
    passed, said = _verify(new, "--public-key", str(tmp_path / "old-key.pem"))
    assert not passed and "which is not among the keys given" in said
    # An old key put back in place signs nothing more.
    settings.SIGNING_KEY = first_key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with pytest.raises(CommandError, match="was retired on"):
        _export(claim, tmp_path, "again.zip")


def test_the_verifier_refuses_a_dossier_signed_outside_its_keys_period(claim, tmp_path, settings):
    path = _export(claim, tmp_path)
    key = current_key()
    listing = {
        "format": verify.KEYS_FORMAT,
        "keys": [
            {
                "fingerprint": key.fingerprint,
                "public_key": key.public_pem,
                "valid_from": "2020-01-01T00:00:00+00:00",
                "valid_until": "2021-01-01T00:00:00+00:00",
            }
        ],
    }
    (tmp_path / "keys.json").write_text(json.dumps(listing))
    passed, out = _verify(path, "--public-key", str(tmp_path / "keys.json"))
    assert not passed and f"key {key.fingerprint} was not in use on" in out


def test_fetch_key_reads_the_published_list(claim, tmp_path, monkeypatch, client):
    path = _export(claim, tmp_path)
    asked = []

    def fetch(url):
        asked.append(url)
        return client.get("/.well-known/corroborate-signing-keys.json").content

    monkeypatch.setattr(verify, "fetch", fetch)
    passed, out = _verify(path, "--fetch-key")
    assert passed and "OK      signature: valid, by the given key" in out
    assert asked == ["http://127.0.0.1:8000/.well-known/corroborate-signing-keys.json"]


def test_the_verifier_says_what_is_wrong_with_what_is_not_a_dossier(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    passed, out = _verify(junk)
    assert not passed and out.startswith("FAILED  bundle: ")
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("verify_dossier", str(tmp_path / "absent.zip"))
    result = subprocess.run(
        [sys.executable, str(Path(verify.__file__)), str(tmp_path / "absent.zip")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_a_second_copy_of_a_member_slipped_into_the_zip_is_named(claim, tmp_path):
    path = _export(claim, tmp_path)
    forged = tmp_path / "doubled.zip"
    forged.write_bytes(path.read_bytes())
    with zipfile.ZipFile(forged, "a") as bundle, pytest.warns(UserWarning, match="Duplicate"):
        bundle.writestr("dossier.json", b'{"claim": {"uuid": "forged"}}')
    passed, out = _verify(forged)
    assert not passed and "FAILED  files: dossier.json is in the bundle twice" in out


def test_the_dossier_page_names_the_signing_key(client, researcher, claim):
    client.force_login(researcher)
    page = client.get(reverse("claims:claim_dossier", args=[claim.pk, "html"])).content.decode()
    assert f"The key's fingerprint is {current_key().fingerprint}" in page
    assert "python3 verify.py DOSSIER.zip --public-key KEY.pem" in page


def test_members_the_zip_itself_says_are_damaged_are_named(claim, tmp_path):
    path = _export(claim, tmp_path)
    data = path.read_bytes()
    names = [info.filename for info in zipfile.ZipFile(path).infolist()]
    for name, span in zip(names, _contents(path), strict=True):
        if name not in (verify.MANIFEST, verify.SIGNATURE, verify.SUMS, verify.NO_TOKEN):
            continue
        changed = bytearray(data)
        changed[span[len(span) // 2]] ^= 0x01  # the ZIP's own checksum no longer matches
        forged = tmp_path / "damaged.zip"
        forged.write_bytes(bytes(changed))
        passed, out = _verify(forged)
        assert not passed and f"{name} cannot be read: Bad CRC-32" in out, (name, out)


def test_a_zip64_bundle_is_checked_as_closely(claim, tmp_path, monkeypatch):
    # What a bundle past 2 GiB looks like (ZIP64 end records, ZIP64 directory entries),
    # made small: zipfile switches to ZIP64 past this limit.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    path = _export(claim, tmp_path)
    monkeypatch.undo()
    data = path.read_bytes()
    assert b"PK\x06\x06" in data[-200:]  # a ZIP64 end record
    assert verify.check_structure(path) == [] and _verify(path)[0]
    forged = tmp_path / "byte.zip"
    contents = _contents(path)
    for offset in [i for i in range(len(data)) if not any(i in s for s in contents)]:
        changed = bytearray(data)
        changed[offset] ^= 0x01
        forged.write_bytes(bytes(changed))
        assert verify.check_structure(forged), offset


def test_each_file_is_read_once_for_both_checks(claim, tmp_path, monkeypatch):
    path = _export(claim, tmp_path)
    read = []
    chunks = verify.Bundle.chunks

    def counting(self, name):
        read.append(name)
        return chunks(self, name)

    monkeypatch.setattr(verify.Bundle, "chunks", counting)
    assert _verify(path)[0]
    evidence = [name for name in read if name.startswith("evidence/")]
    assert evidence and len(evidence) == len(set(evidence))
