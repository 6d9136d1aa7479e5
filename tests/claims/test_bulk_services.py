"""The services' bulk forms (importers write through them): the same rules, the same history
and custody as the one-row services, in a fixed number of queries."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim, PendingRelation, Source
from core import history
from core.dates import PartialDate
from core.models import HistoryEntry
from evidence.models import CustodyEvent, EvidenceItem, EvidenceLink
from evidence.services import (
    evidence_create_many,
    evidence_link_create,
    evidence_links_create_many,
)
from tests.factories import InvestigationFactory, default_investigation

pytestmark = pytest.mark.django_db


def _rows(count: int, **extra) -> list[dict]:
    place = default_investigation()
    return [
        {"investigation": place, "statement": f" Claim {n} ", "tags": ["NATO", "nato ", "Україна"]}
        | extra
        for n in range(count)
    ]


def _changes(model: str) -> list[tuple[str, dict]]:
    """Each entry's action and changes, but for the UUID (new for each record)."""
    entries = HistoryEntry.objects.filter(model=model).order_by("seq")
    return [(e.action, {k: v for k, v in e.changes.items() if k != "Uuid"}) for e in entries]


def test_many_claims_are_what_claim_create_makes_one_by_one(researcher):
    made = datetime.date(2014, 6, 12)
    for row in _rows(3, made=PartialDate(made)):
        services.claim_create(**row, by=researcher)
    one_by_one = _changes("claims.claim")

    claims = services.claims_create_many(_rows(3, made=PartialDate(made)), by=researcher)

    assert [c.statement for c in claims] == ["Claim 0", "Claim 1", "Claim 2"]
    for claim in claims:
        assert sorted(claim.tags.values_list("name", flat=True)) == ["NATO", "Україна"]
        assert claim.made_until == made  # clean() ran
    assert _changes("claims.claim") == one_by_one * 2
    assert list(history.verify()) == []


def test_many_claims_run_a_fixed_number_of_queries(researcher):
    services.claims_create_many(_rows(2), by=researcher)  # the tags exist from now on
    counts = []
    for size in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            services.claims_create_many(_rows(size), by=researcher)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_row_that_breaks_a_rule_is_refused_and_nothing_is_written(researcher):
    rows = _rows(3)
    rows[1]["statement"] = "two\nlines"
    with pytest.raises(ValidationError) as refused:
        services.claims_create_many(rows, by=researcher)
    assert "statement" in refused.value.message_dict
    assert not Claim.objects.exists() and not HistoryEntry.objects.exists()


def test_an_archived_investigation_refuses_bulk_writes_too(researcher):
    place = default_investigation()
    place.status = "archived"
    place.save()
    with pytest.raises(ValidationError, match="archived"):
        services.claims_create_many(_rows(1), by=researcher)


def test_sources_links_and_custody_in_bulk(researcher):
    claim, other = services.claims_create_many(_rows(2), by=researcher)
    sources = [{"claim": claim, "outlet": " BBC ", "url": "https://bbc.com/a"}]
    services.sources_create_many(sources, by=researcher)
    assert Source.objects.get().outlet == "BBC"
    row = {"investigation": claim.investigation, "kind": "photo", "title": "Cover", "url": "x"}
    with pytest.raises(ValidationError):  # "x" is no URL: the field validators run
        evidence_create_many([row], by=researcher)
    (item,) = evidence_create_many([row | {"url": "https://e.com/a.jpg"}], by=researcher)
    assert item.review_status == "pending"
    evidence_links_create_many([{"claim": claim, "evidence": item, "relation": "context"}],
                               by=researcher)  # fmt: skip
    # The same custody entry as linking one by one.
    evidence_link_create(claim=other, evidence=item, relation="context", by=researcher)
    custody = CustodyEvent.objects.filter(evidence=item, action="linked").order_by("pk")
    assert [event.detail for event in custody] == [
        f"Context claim #{claim.pk}: Claim 0",
        f"Context claim #{other.pk}: Claim 1",
    ]
    assert [action for action, _ in _changes("evidence.evidencelink")] == ["created", "created"]
    assert list(history.verify()) == []


def test_a_link_across_investigations_is_refused_in_bulk(researcher):
    (claim,) = services.claims_create_many(_rows(1), by=researcher)
    elsewhere = InvestigationFactory(slug="elsewhere")
    row = {"investigation": elsewhere, "kind": "photo", "title": "C", "url": "https://e.com/"}
    (item,) = evidence_create_many([row], by=researcher)
    with pytest.raises(ValidationError, match="own investigation"):
        evidence_links_create_many([{"claim": claim, "evidence": item, "relation": "context"}],
                                   by=researcher)  # fmt: skip
    assert not EvidenceLink.objects.exists()


def test_pending_relations_resolve_chunk_by_chunk(researcher, monkeypatch):
    monkeypatch.setattr(services, "RESOLVE_CHUNK", 2)
    claims = services.claims_create_many(_rows(6), by=researcher)
    for n, claim in enumerate(claims):
        services.imported_from_create(claim=claim, key=f"/news/{n}.md")
    a, b, c, d, e, f = claims
    services.pending_relations_create_many(
        [(a, "/news/1.md"), (b, "/news/0.md"),  # named both ways: one relation
         (c, "/news/2.md"),  # itself: dropped
         (d, f"uuid:{str(e.uuid).upper()}"),  # a restored dossier names the UUID
         (e, "/news/5.md"), (f, "/news/3.md"),
         (a, "/news/never.md")]  # not imported yet: waits
    )  # fmt: skip
    assert services.pending_relations_resolve(by=researcher) == 4
    related = {claim.statement: sorted(o.statement[-1] for o in claim.related.all())
               for claim in claims}  # fmt: skip
    assert related == {
        "Claim 0": ["1"], "Claim 1": ["0"], "Claim 2": [],
        "Claim 3": ["4", "5"], "Claim 4": ["3", "5"], "Claim 5": ["3", "4"],
    }  # fmt: skip
    assert list(PendingRelation.objects.values_list("target_key", flat=True)) == [
        f"{a.investigation_id}:/news/never.md"
    ]
    changed = HistoryEntry.objects.filter(action="changed", model="claims.claim")
    assert sorted(changed.values_list("object_id", flat=True)) == [a.pk, d.pk, e.pk, f.pk]
    assert changed.get(object_id=a.pk).changes == {"Related claims": [[], ["Claim 1"]]}
    assert list(history.verify()) == []


def test_relations_resolve_only_within_an_investigation(researcher):
    (mine,) = services.claims_create_many(_rows(1), by=researcher)
    elsewhere = InvestigationFactory(slug="elsewhere")
    (theirs,) = services.claims_create_many(
        [{"investigation": elsewhere, "statement": "Theirs"}], by=researcher
    )
    services.imported_from_create(claim=theirs, key="/news/x.md")
    services.pending_relations_create_many([(mine, "/news/x.md"), (mine, f"uuid:{theirs.uuid}")])
    assert services.pending_relations_resolve(by=researcher) == 0
    assert PendingRelation.objects.count() == 2


def test_uuids_of_another_investigation_are_derived_not_shared(researcher):
    from core.importing import imported_records, uuids_in

    same = uuid.uuid4()
    elsewhere = InvestigationFactory(slug="elsewhere")
    services.claims_create_many([{"investigation": elsewhere, "statement": "x", "uuid": same}],
                                by=researcher)  # fmt: skip
    place = default_investigation()
    fresh = uuid.uuid4()
    given = uuids_in(Claim, place, [same, fresh])
    assert given[fresh] == fresh and given[same] != same
    (mine,) = services.claims_create_many(
        [{"investigation": place, "statement": "y", "uuid": given[same]}], by=researcher
    )
    assert imported_records(Claim, place, [same, fresh]) == {same: mine}
    assert EvidenceItem.objects.count() == 0
