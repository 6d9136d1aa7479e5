"""The history's head, timestamped by an outside authority on a schedule: verify_log then
catches even a chain rewritten whole (every hash recomputed), which the chain alone cannot."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims import services as claims
from core import history
from core.models import HistoryEntry, HistoryHead
from proofs import tasks
from proofs.models import HeadTimestamp
from proofs.timestamps import head_message
from proofs.verify import check_timestamp
from tests.factories import default_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(researcher):
    claim = claims.claim_create(
        investigation=default_investigation(), statement="NATO: tanks crossed", by=researcher
    )
    for n in range(3):
        claims.claim_update(claim=claim, data={"statement": f"NATO: tanks crossed ({n})"},
                            by=researcher)  # fmt: skip
    return claim


def _rewrite_whole_chain(from_seq: int) -> None:
    """What someone with the database would do: change an entry, then recompute every hash
    after it and the head, so that the chain verifies on its own."""
    table = HistoryEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET username = %s WHERE seq = %s", ["mallory", from_seq])
    previous = HistoryEntry.objects.get(seq=from_seq - 1).hash
    for entry in HistoryEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.prev_hash = previous
        previous = history.entry_hash(history._hashed_fields(entry))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE seq = %s",
                [entry.prev_hash, previous, entry.seq],
            )
    HistoryHead.objects.filter(pk=1).update(hash=previous)


def test_the_head_is_timestamped_and_verify_log_names_its_witness(chain, tsa):
    out = StringIO()
    call_command("timestamp_history", stdout=out)
    witness = HeadTimestamp.objects.get()
    assert (witness.seq, witness.hash) == (history.head_seq(), history.head_hash())
    assert out.getvalue().startswith(f"Timestamped entry {witness.seq}, hash {witness.hash}: ")
    stamp = check_timestamp(bytes(witness.token), head_message(witness.seq, witness.hash))
    assert stamp.time == witness.stamped_at and witness.authority == "CN=Test TSA"
    # Again, with nothing new: nothing asked of the authority.
    asked = len(tsa.requests)
    call_command("timestamp_history", stdout=out)
    assert "is timestamped already" in out.getvalue() and len(tsa.requests) == asked

    out = StringIO()
    call_command("verify_log", stdout=out)
    assert f"Witnessed from outside: entry {witness.seq} had the hash {witness.hash}" in (
        out.getvalue()
    )


def test_a_chain_rewritten_whole_verifies_alone_but_not_against_its_witness(chain, tsa):
    call_command("timestamp_history", stdout=StringIO())
    witnessed = HeadTimestamp.objects.get().seq
    _rewrite_whole_chain(2)
    assert next(history.verify(), None) is None  # the chain alone cannot tell
    err = StringIO()
    with pytest.raises(CommandError, match="1 timestamp of the history no longer vouches"):
        call_command("verify_log", stdout=StringIO(), stderr=err)
    assert f"entry {witnessed} no longer has the hash timestamped on" in err.getvalue()


def test_a_damaged_witness_is_named(chain, tsa):
    call_command("timestamp_history", stdout=StringIO())
    witness = HeadTimestamp.objects.get()
    token = bytearray(witness.token)
    token[-40] ^= 0x01
    HeadTimestamp.objects.filter(pk=witness.pk).update(token=bytes(token))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_log", stdout=StringIO(), stderr=err)
    assert f"the timestamp of entry {witness.seq} is not valid" in err.getvalue()


def test_with_the_authority_down_the_command_says_so_and_the_task_tries_again_later(chain, tsa):
    tsa.down = True
    with pytest.raises(CommandError, match=f"The Time-Stamping Authority at {tsa.url} did not"):
        call_command("timestamp_history", stdout=StringIO())
    assert tasks.timestamp_history() is None and not HeadTimestamp.objects.exists()
    tsa.down = False
    assert tasks.timestamp_history() == history.head_seq()


def test_without_an_authority_the_command_says_how_to_configure_one(chain):
    with pytest.raises(
        CommandError, match=r"no Time-Stamping Authority configured \(TIMESTAMP_URL\)"
    ):
        call_command("timestamp_history", stdout=StringIO())


def test_an_authority_other_than_the_configured_ones_is_refused(
    chain, tsa, authority_factory, settings
):
    stranger = authority_factory("Rogue TSA")
    settings.TIMESTAMP_URL = stranger.url  # answers, but is not the one TIMESTAMP_CA_FILE names
    with pytest.raises(CommandError, match="was not issued by the time-stamping certificate"):
        call_command("timestamp_history", stdout=StringIO())
