"""The signing key's page and published list, the start-up warning without a key, and the
reading of timestamp tokens (the verifier's own, cross-checked with rfc3161-client)."""

import hashlib

import pytest
import rfc3161_client
from cryptography import x509
from django.core.checks import run_checks
from django.urls import reverse

from proofs.keys import current_key
from proofs.timestamps import timestamp
from proofs.verify import Failed, check_timestamp, der
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_fingerprint_and_every_key(client, researcher):
    staff = UserFactory(username="sasha", is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("proofs:proofs"))
    text = page.content.decode()
    key = current_key()
    assert page.status_code == 200
    assert key.fingerprint in text and key.public_pem.splitlines()[1] in text
    assert "/.well-known/corroborate-signing-keys.json" in text
    assert "No Time-Stamping Authority is configured (TIMESTAMP_URL)" in text
    client.force_login(researcher)
    assert client.get(reverse("proofs:proofs")).status_code == 403


def test_the_page_says_how_to_make_a_key_when_there_is_none(client, settings, tmp_path):
    settings.SIGNING_KEY_FILE = tmp_path / "none.pem"
    client.force_login(UserFactory(username="sasha", is_staff=True))
    text = client.get(reverse("proofs:proofs")).content.decode()
    assert "This instance has no signing key" in text and "signing_key create" in text
    assert "No dossier has been signed yet." in text


def test_the_published_list_needs_no_account_and_holds_no_secret(client):
    key = current_key()
    response = client.get("/.well-known/corroborate-signing-keys.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    listing = response.json()
    assert listing["format"] == "corroborate-signing-keys"
    assert [k["fingerprint"] for k in listing["keys"]] == [key.fingerprint]
    assert "PRIVATE" not in response.content.decode()
    assert client.post("/.well-known/corroborate-signing-keys.json").status_code == 405


def test_start_up_warns_of_a_missing_or_unreadable_key(settings, tmp_path):
    settings.SIGNING_KEY_FILE = tmp_path / "none.pem"
    assert [m.id for m in run_checks() if m.id.startswith("proofs")] == ["proofs.W001"]
    settings.SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----"
    warning = next(m for m in run_checks() if m.id == "proofs.W001")
    assert "SIGNING_KEY is not a readable PEM private key" in warning.msg


def test_a_key_given_in_the_environment_signs(settings, signing_key_file, tmp_path):
    settings.SIGNING_KEY = signing_key_file.read_text().replace("\n", "\\n")  # one line
    settings.SIGNING_KEY_FILE = tmp_path / "unused.pem"
    assert current_key().fingerprint.startswith("sha256:")


# Tokens ------------------------------------------------------------------------------------


def test_tokens_are_read_as_rfc3161_client_reads_them(tsa):
    data = b'{"manifest": "of a dossier"}'
    _response, stamp = timestamp(data)
    # The maintained library's verifier, on the same token (it wants the certificate set
    # in DER order, which OpenSSL's -chain output is not: compare with the signer only).
    ca = x509.load_pem_x509_certificate(tsa.ca.read_bytes())
    certificate = x509.load_pem_x509_certificate(tsa.certificate.read_bytes())
    tsa.requests.clear()
    assert stamp.authority == certificate.subject.rfc4514_string()
    assert stamp.trusted_by == ca.subject.rfc4514_string()
    alone = _reply_without_chain(tsa, data)
    decoded = rfc3161_client.decode_timestamp_response(alone)
    verifier = (
        rfc3161_client.VerifierBuilder().add_root_certificate(ca).tsa_certificate(certificate)
    ).build()
    assert verifier.verify_message(decoded, data)
    assert check_timestamp(alone, data, [ca]).time == decoded.tst_info.gen_time.replace(
        tzinfo=stamp.time.tzinfo
    )


def _reply_without_chain(tsa, data: bytes) -> bytes:
    import subprocess

    query = rfc3161_client.TimestampRequestBuilder().data(data).cert_request(cert_request=True)
    (tsa.folder / "alone.tsq").write_bytes(query.build().as_bytes())
    subprocess.run(
        ["openssl", "ts", "-reply", "-queryfile", "alone.tsq", "-config", "tsa.cnf",
         "-section", "tsa_config", "-inkey", "tsa.key", "-signer", "tsa.pem",
         "-out", "alone.tsr"],
        cwd=tsa.folder, check=True, capture_output=True,
    )  # fmt: skip
    return (tsa.folder / "alone.tsr").read_bytes()


def _content_offset(response: bytes, wanted: bytes) -> int:
    offset = response.find(wanted)
    assert offset > 0
    return offset


def test_each_part_of_a_token_is_checked(tsa):
    data = b"the manifest"
    response, _ = timestamp(data)
    ca = x509.load_pem_x509_certificate(tsa.ca.read_bytes())

    def refused(changed: bytes) -> str:
        with pytest.raises((Failed, ValueError, IndexError)) as error:
            check_timestamp(changed, data, [ca])
        return str(error.value)

    # The imprint: a token for other data.
    with pytest.raises(Failed, match="for another document"):
        check_timestamp(response, b"another manifest", [ca])
    # The time inside the signed information, changed: its digest no longer matches.
    tst_time = _content_offset(response, b"\x18\x0f")  # GeneralizedTime, 15 characters
    changed = bytearray(response)
    changed[tst_time + 5] ^= 0x01
    assert "timestamp information was altered" in refused(bytes(changed))
    # The signature itself (the last OCTET STRING of the signer), changed.
    changed = bytearray(response)
    changed[-10] ^= 0x01
    assert "signature does not match" in refused(bytes(changed))
    # Not DER at all.
    assert "not DER" in refused(response[:50])
    assert der(b"\x30\x03\x02\x01\x05")[0].content == b"\x02\x01\x05"


def test_a_refusal_from_the_authority_is_named():
    refusal = bytes.fromhex("3003020102")  # TimeStampResp { status: rejection }
    with pytest.raises(Failed, match=r"refused to timestamp it \(status 2\)"):
        check_timestamp(b"\x30\x05" + refusal, hashlib.sha256(b"x").digest())


def test_the_staff_page_runs_the_same_queries_however_many_timestamps(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from proofs.models import HeadTimestamp

    client.force_login(UserFactory(username="sasha", is_staff=True))
    client.get(reverse("proofs:proofs"))  # the key registers on first use

    def queries(count: int) -> int:
        HeadTimestamp.objects.all().delete()
        HeadTimestamp.objects.bulk_create(
            HeadTimestamp(seq=n, hash=f"{n:064x}", stamped_at=timezone.now(),
                          authority="CN=Test TSA", token=b"\x30\x00")
            for n in range(1, count + 1)
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("proofs:proofs")).status_code == 200
        return len(captured)

    assert queries(2) == queries(40)


def test_two_processes_registering_a_new_key_at_once_agree(monkeypatch):
    from proofs import keys

    key = keys.configured_key()
    first = keys.register(key)
    filter_ = keys.SigningKey.objects.filter
    missed = []

    class NotYet:  # what the other process saw: the key not registered yet
        def first(self):
            return None

    def racing(**lookup):
        if lookup == {"fingerprint": key.fingerprint} and not missed:
            missed.append(lookup)
            return NotYet()
        return filter_(**lookup)

    monkeypatch.setattr(keys.SigningKey.objects, "filter", racing)
    assert keys.register(key).pk == first.pk and missed
    assert keys.SigningKey.objects.get().valid_until is None  # the update was rolled back


def test_a_token_without_its_certificate_is_checked_with_the_one_given(tsa):
    import subprocess

    data = b"a manifest"
    query = rfc3161_client.TimestampRequestBuilder(cert_req=False).data(data).build()
    (tsa.folder / "bare.tsq").write_bytes(query.as_bytes())
    subprocess.run(
        ["openssl", "ts", "-reply", "-queryfile", "bare.tsq", "-config", "tsa.cnf",
         "-section", "tsa_config", "-inkey", "tsa.key", "-signer", "tsa.pem", "-out", "bare.tsr"],
        cwd=tsa.folder, check=True, capture_output=True,
    )  # fmt: skip
    bare = (tsa.folder / "bare.tsr").read_bytes()
    with pytest.raises(Failed, match="does not carry its signer's certificate"):
        check_timestamp(bare, data)
    signer = x509.load_pem_x509_certificate(tsa.certificate.read_bytes())
    assert check_timestamp(bare, data, [signer]).authority == "CN=Test TSA"


def test_a_malformed_token_is_named_not_crashed_on():
    inside = b"\x30\x06\x06\x01\x2a\x30\x01\x05"  # DER, but not a timestamp's shape
    with pytest.raises(Failed, match=r"the token cannot be read|not CMS signed data"):
        check_timestamp(inside, b"x")


def test_the_key_can_be_made_before_the_database_is(settings, tmp_path, monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.db import OperationalError

    from proofs import keys

    def not_migrated(key):
        raise OperationalError("no such table: proofs_signingkey")

    settings.SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    monkeypatch.setattr(keys, "register", not_migrated)
    out = StringIO()
    call_command("signing_key", "create", "--if-missing", stdout=out)
    assert out.getvalue().startswith(f"Created the signing key {settings.SIGNING_KEY_FILE}: ")
    call_command("signing_key", "create", "--if-missing", stdout=out)  # make run, again
    assert out.getvalue().splitlines()[-1].startswith("Signing key: sha256:")
    monkeypatch.undo()
    settings.SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    out = StringIO()
    call_command("signing_key", "show", stdout=out)
    fingerprint = keys.current_key().fingerprint
    assert out.getvalue().splitlines()[-1].startswith(f"{fingerprint} in use since ")
