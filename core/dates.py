"""Dates known only to a day, a month or a year.

Sources say "June 2014" as often as "12 June 2014". A partial date is stored as two columns:
the first day of the period it names, and its precision. A check constraint keeps the date
normalised (a month-precise date is always the 1st), so "June 2014" can never be shown or
sorted as "1 June 2014" by accident.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def normalise(value: datetime.date, precision: str) -> datetime.date:
    """The first day of the period that `value` names at `precision`."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    value: datetime.date
    precision: str = DatePrecision.DAY

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", normalise(self.value, self.precision))

    @property
    def end(self) -> datetime.date:
        """The last day of the period, for range checks such as 'captured after the claim'."""
        if self.precision == DatePrecision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            following = (self.value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            return following - datetime.timedelta(days=1)
        return self.value

    def __lt__(self, other: PartialDate) -> bool:
        return sort_key(self) < sort_key(other)

    def isoformat(self) -> str:
        """ISO 8601 at the known precision: 2014, 2014-06 or 2014-06-12."""
        if self.precision == DatePrecision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def __str__(self) -> str:
        if self.precision == DatePrecision.YEAR:
            return str(self.value.year)
        if self.precision == DatePrecision.MONTH:
            return self.value.strftime("%B %Y")
        return f"{self.value.day} {self.value.strftime('%B %Y')}"


def partial_date(value: datetime.date | None, precision: str) -> PartialDate | None:
    return PartialDate(value, precision) if value is not None else None


def precision_field(verbose_name: str) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )


def normalised_date_constraint(
    field: str, precision_field_name: str, name: str
) -> models.CheckConstraint:
    """A month-precise date must be the 1st of its month, a year-precise date 1 January."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{precision_field_name: DatePrecision.DAY})
        | Q(**{precision_field_name: DatePrecision.MONTH, f"{field}__day": 1})
        | Q(**{precision_field_name: DatePrecision.YEAR, f"{field}__day": 1, f"{field}__month": 1}),
        name=name,
        violation_error_message=_(
            "A date known only to the month must be the 1st, and one known only to the year "
            "must be 1 January."
        ),
    )


class PartialDatesModel(models.Model):
    """Normalises each (date, precision) pair in `clean()`, so every writer that validates
    (services, admin, forms) stores "June 2014" as 2014-06-01 with precision month."""

    PARTIAL_DATES: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        for date_field, precision_field_name in self.PARTIAL_DATES:
            value = getattr(self, date_field)
            if value is not None:
                setattr(self, date_field, normalise(value, getattr(self, precision_field_name)))


PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


def sort_key(date: PartialDate) -> tuple[datetime.date, int]:
    """Chronological, with a period before the days inside it: 2014, June 2014, 1 June 2014."""
    return (date.value, PRECISION_RANK[date.precision])


def period_reaches(field: str, precision_field_name: str, day: datetime.date) -> Q:
    """Rows whose partial date's period ends on or after `day`.

    "June 2014" reaches 15 June 2014 even though it is stored as 1 June.
    """
    return (
        Q(**{f"{field}__gte": day})
        | Q(**{precision_field_name: DatePrecision.MONTH, f"{field}__gte": day.replace(day=1)})
        | Q(
            **{
                precision_field_name: DatePrecision.YEAR,
                f"{field}__gte": day.replace(month=1, day=1),
            }
        )
    )
