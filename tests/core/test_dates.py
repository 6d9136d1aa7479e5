import datetime

import pytest

from core.dates import DatePrecision, PartialDate, normalise

JUNE_12 = datetime.date(2014, 6, 12)


@pytest.mark.parametrize(
    ("precision", "text", "iso"),
    [
        (DatePrecision.DAY, "12 June 2014", "2014-06-12"),
        (DatePrecision.MONTH, "June 2014", "2014-06"),
        (DatePrecision.YEAR, "2014", "2014"),
    ],
)
def test_partial_date_shows_only_what_is_known(precision, text, iso):
    date = PartialDate(JUNE_12, precision)
    assert str(date) == text
    assert date.isoformat() == iso


def test_month_precise_date_never_becomes_the_first_of_the_month():
    assert str(PartialDate(datetime.date(2014, 6, 1), DatePrecision.MONTH)) == "June 2014"


def test_normalise_truncates_to_the_start_of_the_period():
    assert normalise(JUNE_12, DatePrecision.MONTH) == datetime.date(2014, 6, 1)
    assert normalise(JUNE_12, DatePrecision.YEAR) == datetime.date(2014, 1, 1)
    assert normalise(JUNE_12, DatePrecision.DAY) == JUNE_12


@pytest.mark.parametrize(
    ("value", "precision", "end"),
    [
        (datetime.date(2014, 2, 1), DatePrecision.MONTH, datetime.date(2014, 2, 28)),
        (datetime.date(2016, 2, 1), DatePrecision.MONTH, datetime.date(2016, 2, 29)),
        (datetime.date(2014, 12, 1), DatePrecision.MONTH, datetime.date(2014, 12, 31)),
        (datetime.date(2014, 1, 1), DatePrecision.YEAR, datetime.date(2014, 12, 31)),
        (JUNE_12, DatePrecision.DAY, JUNE_12),
    ],
)
def test_end_is_the_last_day_of_the_period(value, precision, end):
    assert PartialDate(value, precision).end == end


def test_partial_dates_sort_by_their_start():
    dates = [
        PartialDate(JUNE_12, DatePrecision.DAY),
        PartialDate(JUNE_12, DatePrecision.YEAR),
        PartialDate(JUNE_12, DatePrecision.MONTH),
    ]
    assert [d.isoformat() for d in sorted(dates)] == ["2014", "2014-06", "2014-06-12"]


def test_a_period_sorts_before_the_days_inside_it():
    first_of_june = PartialDate(datetime.date(2014, 6, 1), DatePrecision.DAY)
    june = PartialDate(datetime.date(2014, 6, 1), DatePrecision.MONTH)
    year = PartialDate(datetime.date(2014, 1, 1), DatePrecision.YEAR)
    assert sorted([first_of_june, june, year]) == [year, june, first_of_june]
