"""Pages of a list, however long.

The page's rows are found by their ids first, so what a row costs to compute (annotations,
subqueries) is paid for the rows shown, never for the rows skipped to reach a deep page.
Totals are counted exactly up to ESTIMATE_ABOVE rows; beyond that, on PostgreSQL, the
planner's estimate is shown as "about N": counting a million matches exactly costs more
than the page itself.
"""

from __future__ import annotations

import json

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 25
ESTIMATE_ABOVE = 10_000


class RowsPaginator(Paginator):
    """A Paginator over a queryset's ids (in its order) that loads the full rows of the
    requested page only: one query for the page's ids, one for its rows."""

    def __init__(self, queryset: QuerySet, per_page: int) -> None:
        super().__init__(queryset.values_list("pk", flat=True), per_page)
        self.rows = queryset
        self.estimated = False  # whether `count` is the planner's estimate

    @cached_property
    def count(self) -> int:
        ids = self.object_list
        counted = ids[: ESTIMATE_ABOVE + 1].count()  # stops at the limit
        if counted <= ESTIMATE_ABOVE or connections[ids.db].vendor != "postgresql":
            return counted if counted <= ESTIMATE_ABOVE else ids.count()
        plan = json.loads(ids.explain(format="json"))
        self.estimated = True
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted)

    def _get_page(self, ids, number: int, paginator: Paginator) -> Page:
        ids = list(ids)
        found = {row.pk: row for row in self.rows.filter(pk__in=ids).order_by()}
        return Page([found[pk] for pk in ids if pk in found], number, paginator)


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest."""
    return RowsPaginator(queryset, per_page).get_page(request.GET.get("page"))
