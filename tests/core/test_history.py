"""The history: an entry with the right diff for each kind of record, and a chain that
verify_log proves untouched, or shows where it was edited, cut or spliced."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from claims import services as claims
from core import history
from core.dates import DatePrecision, PartialDate
from core.models import HistoryEntry
from evidence import services as evidence
from tests import files
from tests.factories import ClaimantFactory, default_investigation

pytestmark = pytest.mark.django_db


def _last(**filters) -> HistoryEntry:
    return HistoryEntry.objects.filter(**filters).order_by("-seq").first()


def test_claim_creation_and_each_change_with_old_and_new_values(researcher, reviewer):
    claim = claims.claim_create(investigation=default_investigation(),
        statement="Танки вошли.", by=researcher, tags=["Ukraine"],
        made=PartialDate(datetime.date(2014, 6, 12), DatePrecision.MONTH),
    )  # fmt: skip
    created = _last(claim_id=claim.pk)
    assert (created.action, created.username, created.model) == ("created", "rita", "claims.claim")
    assert created.changes["Statement"] == [None, "Танки вошли."]
    assert created.changes["First made on"] == [None, "2014-06-01"]
    assert created.changes["Tags"] == [None, ["Ukraine"]]

    claims.claim_update(claim=claim, data={"verdict": "disputed"}, by=reviewer)
    change = _last(claim_id=claim.pk)
    assert (change.action, change.username) == ("changed", "victor")
    assert change.changes == {"Verdict": ["Unverified", "Disputed"]}

    claims.claim_tags_set(claim=claim, names=["Ukraine", "NATO"], by=reviewer)
    assert _last(claim_id=claim.pk).changes == {"Tags": [["Ukraine"], ["NATO", "Ukraine"]]}

    count = HistoryEntry.objects.count()
    claims.claim_update(claim=claim, data={"verdict": "disputed"}, by=reviewer)
    assert HistoryEntry.objects.count() == count  # nothing changed, nothing recorded


def test_claimant_attribution_denial_and_source(researcher):
    nato = claims.claimant_create(name="NATO", by=researcher)
    claims.claimant_update(claimant=nato, data={"country": "Belgium"}, by=researcher)
    assert _last(claimant_id=nato.pk).changes == {"Country": [None, "Belgium"]}

    claim = claims.claim_create(investigation=default_investigation(), statement="x", by=researcher)
    source = claims.source_create(claim=claim, outlet="BBC", url="https://bbc.com/a", by=researcher)
    assert _last(model="claims.source").changes["Url"] == [None, "https://bbc.com/a"]
    assert _last(model="claims.source").claim_id == claim.pk

    attribution = claims.attribution_create(claim=claim, claimant=nato, by=researcher)
    entry = _last(model="claims.attribution")
    assert entry.changes["Claimant"] == [None, f"NATO (#{nato.pk})"]
    assert (entry.claim_id, entry.claimant_id) == (claim.pk, nato.pk)
    claims.attribution_delete(attribution=attribution, by=researcher)
    deleted = _last(model="claims.attribution")
    assert deleted.action == "deleted" and deleted.changes["Role"] == ["Originator", None]

    denial = claims.denial_create(claim=claim, claimant=nato, by=researcher)
    claims.denial_update(denial=denial, data={"quote": "fake", "source": source}, by=researcher)
    assert _last(model="claims.denial").changes == {
        "Verbatim quote": [None, "fake"],
        "Source": [None, f"BBC: https://bbc.com/a (#{source.pk})"],
    }


def test_evidence_item_link_and_review(researcher, reviewer):
    item = evidence.evidence_create(investigation=default_investigation(),
        kind="photo", title="Column", file=ContentFile(files.png(), name="c.png"),
        by=researcher,
    )  # fmt: skip
    created = _last(evidence_id=item.pk)
    assert created.changes["Sha-256"] == [None, item.sha256]
    assert created.changes["Original file name"] == [None, "c.png"]

    evidence.evidence_update(item=item, data={"title": "Tank column"}, by=researcher)
    assert _last(evidence_id=item.pk).changes == {"Title": ["Column", "Tank column"]}

    claim = claims.claim_create(investigation=default_investigation(), statement="x", by=researcher)
    link = evidence.evidence_link_create(
        claim=claim, evidence=item, relation="supports", by=researcher
    )
    evidence.evidence_link_update(link=link, data={"strength": "strong"}, by=researcher)
    entry = _last(model="evidence.evidencelink")
    assert entry.changes == {"Strength": ["Moderate", "Strong"]}
    assert (entry.claim_id, entry.evidence_id) == (claim.pk, item.pk)

    evidence.evidence_review(item=item, by=reviewer, status="rejected", note="Staged.")
    review = _last(evidence_id=item.pk, model="evidence.evidenceitem")
    assert review.username == "victor"
    assert review.changes["Review status"] == ["Pending review", "Rejected"]
    assert review.changes["Review note"] == [None, "Staged."]
    assert review.changes["Reviewed by"] == [None, f"victor (#{reviewer.pk})"]

    evidence.evidence_link_delete(link=link, by=researcher)
    assert _last(model="evidence.evidencelink").action == "deleted"


def test_admin_changes_are_recorded(client, staff_researcher):
    claimant = ClaimantFactory(name="NATO")
    client.force_login(staff_researcher)
    client.post(
        reverse("admin:claims_claimant_change", args=[claimant.pk]),
        {"name": "NATO", "kind": "military", "parent": "", "aliases": "OTAN", "country": "",
         "description": ""},
    )  # fmt: skip
    entry = _last(claimant_id=claimant.pk)
    assert entry.username == "sam"
    assert entry.changes == {"Kind": ["Unknown", "Military or alliance"], "Aliases": [None, "OTAN"]}


def test_history_is_shown_on_the_record_pages(client, researcher):
    claim = claims.claim_create(
        investigation=default_investigation(), statement="Tanks crossed.", by=researcher
    )
    claims.claim_update(claim=claim, data={"statement": "Tanks crossed twice."}, by=researcher)
    client.force_login(researcher)
    html = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert (
        "Tanks crossed twice." in html and '<td dir="auto" class="old">Tanks crossed.</td>' in html
    )
    full = client.get(reverse("history", args=["claim", claim.pk]))
    assert [e.action for e in full.context["page"].object_list] == ["changed", "created"]
    assert client.get(reverse("history", args=["claim", 999])).status_code == 404


def test_entries_cannot_be_changed_through_the_orm(researcher):
    claims.claim_create(investigation=default_investigation(), statement="x", by=researcher)
    entry = HistoryEntry.objects.get()
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        HistoryEntry.objects.update(username="mallory")


# verify_log --------------------------------------------------------------------------------


@pytest.fixture
def chain(researcher):
    claim = claims.claim_create(
        investigation=default_investigation(), statement="One", by=researcher
    )
    for n in range(4):
        claims.claim_update(claim=claim, data={"statement": f"Two {n}"}, by=researcher)
    return list(HistoryEntry.objects.order_by("seq"))


def _sql(statement: str, params=()) -> None:
    table = HistoryEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def _verify() -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_log")
    return str(error.value)


def test_an_intact_chain_verifies(chain):
    out = StringIO()
    call_command("verify_log", stdout=out)
    assert f"History verified: 5 entries, head {chain[-1].hash}." in out.getvalue()
    call_command("verify_log", f"--expect-head={chain[2].hash}", stdout=StringIO())


def test_an_edited_entry_is_found(chain):
    _sql("UPDATE {table} SET username = %s WHERE seq = %s", ["mallory", 3])
    assert _verify() == "History chain broken at entry 3: entry 3 was edited after it was written."


def test_edited_changes_are_found_too(chain):
    _sql("UPDATE {table} SET changes = %s WHERE seq = %s", ['{"Statement": ["x", "y"]}', 2])
    assert "entry 2 was edited after it was written" in _verify()


def test_a_deleted_entry_is_found(chain):
    _sql("DELETE FROM {table} WHERE seq = %s", [2])
    assert _verify() == "History chain broken at entry 2: entry 2 was removed."


def test_an_inserted_entry_is_found(chain):
    # Splice a forged entry in as number 3, moving the later ones up.
    _sql("UPDATE {table} SET seq = seq + 100 WHERE seq >= %s", [3])
    _sql("UPDATE {table} SET seq = seq - 99 WHERE seq >= %s", [103])
    forged = chain[1]
    _sql(
        "INSERT INTO {table} (seq, at, user_id, username, action, model, object_id, "
        "object_repr, changes, prev_hash, hash) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, %s, "
        "%s, %s)",
        [3, forged.at, "mallory", "changed", forged.model, forged.object_id, "forged", "{}",
         forged.hash, "f" * 64],
    )  # fmt: skip
    assert _verify().startswith("History chain broken at entry 3: entry 3 was edited")


def test_entries_cut_from_the_end_are_found(chain):
    _sql("DELETE FROM {table} WHERE seq >= %s", [4])
    assert _verify() == (
        "History chain broken at entry 4: the chain ends at entry 3 but its head says 5: "
        "entries were removed from the end."
    )


def test_a_rewritten_chain_fails_the_expected_head(chain):
    with pytest.raises(CommandError, match="no longer contains the head"):
        call_command("verify_log", "--expect-head=" + "a" * 64)


def test_verify_yields_every_problem(chain):
    _sql("UPDATE {table} SET username = %s WHERE seq IN (2, 4)", ["mallory"])
    assert [p.seq for p in history.verify()] == [2, 4]
