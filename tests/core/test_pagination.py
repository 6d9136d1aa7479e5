"""Pages found by their ids: the same rows in the same order as Django's Paginator, and the
costly columns computed for the page's rows only, however deep the page."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from core.pagination import RowsPaginator
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _claims():
    return Claim.objects.annotate(tag_count=Count("tags")).order_by("made_on", "-pk")


def test_the_same_pages_as_django_in_the_same_order():
    for n in range(23):
        ClaimFactory(made_on=f"2014-06-{1 + n % 5:02}")
    ours, django = RowsPaginator(_claims(), 5), Paginator(_claims(), 5)
    assert (ours.count, ours.num_pages) == (django.count, django.num_pages) == (23, 5)
    for number in range(1, 6):
        page = ours.page(number)
        assert [c.pk for c in page] == [c.pk for c in django.page(number)]
        assert all(claim.tag_count == 0 for claim in page)  # the annotations came along
    assert ours.get_page("x").number == 1 and ours.get_page(99).number == 5


def test_a_deep_page_computes_its_rows_only():
    for _ in range(30):
        ClaimFactory()
    with CaptureQueriesContext(connection) as queries:
        page = RowsPaginator(_claims(), 5).page(3)  # of 6: read from the start
        assert len(page) == 5
    *_, ids, rows = [q["sql"] for q in queries]
    assert "OFFSET 10" in ids and "COUNT(" not in ids.split("FROM")[0]
    # The annotated query reads the page's rows by id, nothing skipped.
    assert "COUNT(" in rows and "OFFSET" not in rows and "IN (" in rows


def test_totals_are_exact_up_to_a_limit_and_estimated_beyond_it_on_postgresql(monkeypatch):
    from core import pagination

    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 5)
    for _ in range(4):
        ClaimFactory()
    few = RowsPaginator(_claims(), 2)
    assert (few.count, few.estimated) == (4, False)
    for _ in range(8):
        ClaimFactory()
    many = RowsPaginator(_claims(), 2)
    total = many.count
    if connection.vendor == "postgresql":  # the planner's guess, never below what was seen
        assert many.estimated and total >= 6
    else:
        assert (many.count, many.estimated) == (12, False)
    assert [c.pk for c in many.page(2)] == [c.pk for c in Paginator(_claims(), 2).page(2)]


def test_an_estimated_total_says_so(client, researcher, monkeypatch):
    from core import pagination

    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 30)
    for _ in range(31):
        ClaimFactory()
    client.force_login(researcher)
    page = client.get("/claims/").content.decode()
    if connection.vendor == "postgresql":
        assert "About " in page and "of about " in page
    else:
        assert "31 results" in page and "Page 1 of 2" in page


def test_a_total_reads_as_a_person_would_say_it(client, researcher, monkeypatch):
    from core import pagination

    assert str(pagination.Total(1234567, True)) == "about 1,200,000"
    assert str(pagination.Total(999943, True)) == "about 1,000,000"
    assert str(pagination.Total(198100, True)) == "about 200,000"
    assert str(pagination.Total(1234567, False)) == "1,234,567"
    assert str(pagination.Total(12, False)) == "12"
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    for _ in range(5):
        ClaimFactory()
    client.force_login(researcher)
    page = client.get("/").content.decode()
    expected = "about " if connection.vendor == "postgresql" else "<strong>5</strong> claims"
    assert expected in page


def test_pages_past_the_middle_are_read_from_the_end():
    for n in range(23):
        ClaimFactory(made_on=f"2014-06-{1 + n % 5:02}")
    ours, django = RowsPaginator(_claims(), 5), Paginator(_claims(), 5)
    for number in (3, 4, 5):  # of 5: the last has 3 rows
        with CaptureQueriesContext(connection) as queries:
            page = ours.page(number)
        assert [c.pk for c in page] == [c.pk for c in django.page(number)]
        ids = queries[-2]["sql"]
        # Read backwards from the end: the last page skips nothing.
        assert "ASC" in ids and ("OFFSET" not in ids if number == 5 else "OFFSET" in ids)


def test_a_total_of_what_nothing_can_match_is_nothing():
    from core.pagination import Total, total_of

    assert total_of(Claim.objects.none()) == Total(0, False)
    assert total_of(Claim.objects.filter(pk__in=[])) == Total(0, False)
