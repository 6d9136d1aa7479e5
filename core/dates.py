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


# Month names people type beyond the interface's own: English abbreviations with a full stop
# ("Sept."), and the Levantine and Iraqi names Arabic writers use beside the Egyptian ones.
_MORE_MONTHS = {
    "sept": 9,
    **{
        name: number
        for number, name in enumerate(
            ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
             "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"],
            start=1,
        )
    },
}  # fmt: skip
# A year written with its era word: "2014 р.", "2014 г.", "2014 року", "2014 года", "2014م".
_ERA = re.compile(r"\s*(р\.|г\.|року|рік|года|год|م)$")
# Month names in sentence case where the language writes them so ("червень 2014").
_LOWER_CASE_MONTHS = {"uk", "ru"}


@functools.cache
def _month_numbers() -> dict[str, int]:
    """Every month name of every interface language, in each of Django's forms (full,
    genitive, abbreviated), case-folded: what PartialDate.parse understands."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP

    names = dict(_MORE_MONTHS)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for table in (MONTHS, MONTHS_ALT, MONTHS_3, MONTHS_AP):
                for number, name in table.items():
                    names[str(name).casefold().rstrip(".")] = number
    return names


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
        """The date as a reader of the active language writes it: "June 2014", "червень
        2014", "12 червня 2014", "يونيو 2014"."""
        from django.utils import translation
        from django.utils.dates import MONTHS, MONTHS_ALT

        year, month = self.value.year, self.value.month
        if self.precision == DatePrecision.YEAR:
            return str(year)
        if self.precision == DatePrecision.MONTH:
            name = str(MONTHS[month])
            if (translation.get_language() or "en").split("-")[0] in _LOWER_CASE_MONTHS:
                name = name.lower()
            return f"{name} {year}"
        return f"{self.value.day} {MONTHS_ALT[month]} {year}"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read "2014", "2014-06", "2014-06-12", "June 2014", "Jun. 2014" or "12 June 2014",
        with the month named in any interface language ("червень 2014", "12 июня 2014 г.",
        "حزيران 2014") and digits of any script.

        Raises ValueError with a message fit to show beside the field.
        """
        value = _ERA.sub("", " ".join(str(text).replace(",", " ").replace("،", " ").split()))
        try:
            if re.fullmatch(r"\d{4}", value):
                return cls(datetime.date(int(value), 1, 1), DatePrecision.YEAR)
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
                year, month = map(int, match.groups())
                return cls(datetime.date(year, month, 1), DatePrecision.MONTH)
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
                return cls(datetime.date(*map(int, match.groups())), DatePrecision.DAY)
            match = re.fullmatch(r"(?:(\d{1,2}) )?(\D+?)\.? (\d{4})", value)
            if match and (month := _month_numbers().get(match.group(2).casefold())):
                year = int(match.group(3))
                if match.group(1) is None:
                    return cls(datetime.date(year, month, 1), DatePrecision.MONTH)
                return cls(datetime.date(year, month, int(match.group(1))), DatePrecision.DAY)
        except ValueError:
            raise ValueError(_("“%(text)s” is not a real date.") % {"text": text}) from None
        raise ValueError(
            _("Could not read “%(text)s”: write 2014, June 2014 (or 2014-06), or 12 June 2014.")
            % {"text": text}
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
            raise ValueError(
                _("“%(text)s” is not an ISO date such as 2014, 2014-06 or 2014-06-12.")
                % {"text": text}
            )
        date = cls.parse(text)
        precision = data.get("precision") if isinstance(data, dict) else None
        if precision not in (None, date.precision):
            raise ValueError(
                _("“%(text)s” is not a date known to the precision “%(precision)s”.")
                % {"text": text, "precision": precision}
            )
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
