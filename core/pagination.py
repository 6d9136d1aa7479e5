"""Pages of a list, however long.

The page's rows are found by their ids first, so what a row costs to compute (annotations,
subqueries) is paid for the rows shown, never for the rows skipped to reach a deep page;
pages past the middle are read from the end, so the last is as quick as the first.
Totals are counted exactly up to ESTIMATE_ABOVE rows; beyond that, on PostgreSQL, the
planner's estimate is shown as "about N": counting a million matches exactly costs more
than the page itself.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 25
ESTIMATE_ABOVE = 1_000


def rounded(value: int) -> int:
    """An estimate as a person would say it: two significant digits (999,943 -> 1,000,000;
    198,100 -> 200,000)."""
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - 2)
    return round(value / step) * step


class Total(NamedTuple):
    value: int
    estimated: bool  # the planner's estimate, to be shown as "about"

    def __str__(self) -> str:
        if self.estimated:
            return f"about {intcomma(rounded(self.value))}"
        return intcomma(self.value)


def total_of(queryset: QuerySet) -> Total:
    """How many rows. On PostgreSQL: counted exactly up to ESTIMATE_ABOVE (a count that
    stops there), the planner's estimate beyond; both are asked every time, so that a page
    runs the same queries whatever its number of rows. On SQLite, the embedded default for
    one team's case: counted."""
    queryset = queryset.order_by()  # any order counts the same
    if connections[queryset.db].vendor != "postgresql":
        return Total(queryset.count(), False)
    counted = queryset[: ESTIMATE_ABOVE + 1].count()
    try:
        plan = json.loads(queryset.explain(format="json"))
        estimate = int(plan[0]["Plan"]["Plan Rows"])
    except (EmptyResultSet, ValueError):  # nothing can match (none(), an empty IN): no plan
        estimate = 0
    if counted <= ESTIMATE_ABOVE:
        return Total(counted, False)
    return Total(max(estimate, counted), True)


class RowsPaginator(Paginator):
    """A Paginator over a queryset's ids (in its order) that loads the full rows of the
    requested page only: one query for the page's ids, one for its rows."""

    def __init__(self, queryset: QuerySet, per_page: int) -> None:
        super().__init__(queryset.values_list("pk", flat=True), per_page)
        self.rows = queryset
        self.estimated = False  # whether `count` is the planner's estimate

    @cached_property
    def count(self) -> int:
        total = total_of(self.object_list)
        self.estimated = total.estimated
        return total.value

    @property
    def count_shown(self) -> int:
        """The total as the page says it: rounded when it is an estimate."""
        return rounded(self.count) if self.estimated else self.count

    @property
    def pages_shown(self) -> int:
        return rounded(self.num_pages) if self.estimated else self.num_pages

    def page(self, number) -> Page:
        """A page of the front half is read from the start, one of the back half from the
        end (the order reversed, then the rows put back), so the last page costs what the
        first does. Beyond an estimated total the back half's places are estimated too:
        "about" page N, as the total says."""
        number = self.validate_number(number)
        size = self.per_page
        if number * 2 <= self.num_pages or self.count <= size:
            return super().page(number)
        top = min(number * size, self.count)
        from_end = self.count - top
        ids = self.object_list.reverse()[from_end : from_end + top - (number - 1) * size]
        return self._get_page(list(ids)[::-1], number, self)

    def _get_page(self, ids, number: int, paginator: Paginator) -> Page:
        ids = list(ids)
        found = {row.pk: row for row in self.rows.filter(pk__in=ids).order_by()}
        return Page([found[pk] for pk in ids if pk in found], number, paginator)


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest."""
    return RowsPaginator(queryset, per_page).get_page(request.GET.get("page"))
