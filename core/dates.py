"""Dates known only to a day, a month or a year.

Sources say "June 2014" as often as "12 June 2014". A partial date is stored as two columns:
the first day of the period it names, and its precision. A check constraint keeps the date
normalised (a month-precise date is always the 1st), so "June 2014" can never be shown or
sorted as "1 June 2014" by accident.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

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


_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


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

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read "2014", "2014-06", "2014-06-12", "June 2014", "Jun. 2014" or "12 June 2014".

        Raises ValueError with a message fit to show beside the field.
        """
        value = " ".join(str(text).replace(",", " ").split())
        try:
            if re.fullmatch(r"\d{4}", value):
                return cls(datetime.date(int(value), 1, 1), DatePrecision.YEAR)
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
                year, month = map(int, match.groups())
                return cls(datetime.date(year, month, 1), DatePrecision.MONTH)
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
                return cls(datetime.date(*map(int, match.groups())), DatePrecision.DAY)
            match = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", value)
            if match and (month := _MONTHS.get(match.group(1).lower())):
                return cls(datetime.date(int(match.group(2)), month, 1), DatePrecision.MONTH)
            match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", value)
            if match and (month := _MONTHS.get(match.group(2).lower())):
                day, year = int(match.group(1)), int(match.group(3))
                return cls(datetime.date(year, month, day), DatePrecision.DAY)
        except ValueError:
            raise ValueError(f"“{text}” is not a real date.") from None
        raise ValueError(
            f"Could not read “{text}”: write 2014, June 2014 (or 2014-06), or 12 June 2014."
        )

    def as_json(self) -> dict[str, str]:
        """{"date": "2014-06", "precision": "month", "text": "June 2014"}: the API's and the
        dossier's form, readable without knowing the precision rules."""
        return {"date": self.isoformat(), "precision": self.precision, "text": str(self)}

    @classmethod
    def from_json(cls, data: Any) -> PartialDate | None:
        """The inverse of as_json(); also takes the ISO text alone ("2014-06")."""
        if data in (None, ""):
            return None
        text = data.get("date", "") if isinstance(data, dict) else data
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", text.strip()):
            raise ValueError(f"“{text}” is not an ISO date such as 2014, 2014-06 or 2014-06-12.")
        date = cls.parse(text)
        precision = data.get("precision") if isinstance(data, dict) else None
        if precision not in (None, date.precision):
            raise ValueError(f"“{text}” is not a date known to the {precision}.")
        return date


def partial_date(value: datetime.date | None, precision: str) -> PartialDate | None:
    return PartialDate(value, precision) if value is not None else None


class PartialDateAttribute(property):
    """A model attribute that reads and writes a (date, precision) column pair as one
    PartialDate: `claim.made = PartialDate.parse("June 2014")` sets both columns, and
    `claim.made` reads them back. None clears the date. A property, so that the model's
    constructor takes it as a keyword like a field."""

    def __init__(self, date_field: str, precision_field: str) -> None:
        self.date_field, self.precision_field = date_field, precision_field
        super().__init__(self._get, self._set)

    def _get(self, instance) -> PartialDate | None:
        return partial_date(
            getattr(instance, self.date_field), getattr(instance, self.precision_field)
        )

    def _set(self, instance, value: PartialDate | None) -> None:
        if value is not None and not isinstance(value, PartialDate):
            raise TypeError(f"Expected a PartialDate or None, not {type(value).__name__}.")
        setattr(instance, self.date_field, value.value if value else None)
        setattr(instance, self.precision_field, value.precision if value else DatePrecision.DAY)


class PartialDateRangeAttribute(property):
    """A (start, end) pair of PartialDates stored as two date columns sharing one precision
    column. Ends given to different precisions cannot be stored: the model's clean()
    refuses them (see `mismatched`)."""

    def __init__(self, start_field: str, end_field: str, precision_field: str) -> None:
        self.start_field, self.end_field = start_field, end_field
        self.precision_field = precision_field
        self.mismatch_attr = f"_{start_field}_{end_field}_precisions_differ"
        super().__init__(self._get, self._set)

    def _get(self, instance) -> tuple[PartialDate | None, PartialDate | None]:
        precision = getattr(instance, self.precision_field)
        return (
            partial_date(getattr(instance, self.start_field), precision),
            partial_date(getattr(instance, self.end_field), precision),
        )

    def _set(self, instance, value: tuple[PartialDate | None, PartialDate | None]) -> None:
        start, end = value
        given = [date for date in (start, end) if date is not None]
        setattr(instance, self.start_field, start.value if start else None)
        setattr(instance, self.end_field, end.value if end else None)
        setattr(instance, self.precision_field, given[0].precision if given else DatePrecision.DAY)
        setattr(instance, self.mismatch_attr, len({date.precision for date in given}) > 1)

    def mismatched(self, instance) -> bool:
        return getattr(instance, self.mismatch_attr, False)


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
    """Normalises each (date, precision) pair of its PartialDate attributes in `clean()`, so
    a writer that set the columns directly still stores "June 2014" as 2014-06-01."""

    class Meta:
        abstract = True

    @classmethod
    def _date_pairs(cls) -> list[tuple[str, str]]:
        pairs = []
        for klass in cls.__mro__:
            for attribute in vars(klass).values():
                if isinstance(attribute, PartialDateAttribute):
                    pairs.append((attribute.date_field, attribute.precision_field))
                elif isinstance(attribute, PartialDateRangeAttribute):
                    pairs.append((attribute.start_field, attribute.precision_field))
                    pairs.append((attribute.end_field, attribute.precision_field))
        return pairs

    def clean(self) -> None:
        super().clean()
        for date_field, precision_field_name in self._date_pairs():
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
