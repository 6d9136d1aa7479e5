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


PARSED = [
    ("2014", "2014", DatePrecision.YEAR),
    ("  2014 ", "2014", DatePrecision.YEAR),
    ("2014-06", "2014-06", DatePrecision.MONTH),
    ("2014-6", "2014-06", DatePrecision.MONTH),
    ("June 2014", "2014-06", DatePrecision.MONTH),
    ("june 2014", "2014-06", DatePrecision.MONTH),
    ("Jun 2014", "2014-06", DatePrecision.MONTH),
    ("Jun. 2014", "2014-06", DatePrecision.MONTH),
    ("Sept 2014", "2014-09", DatePrecision.MONTH),
    ("2014-06-12", "2014-06-12", DatePrecision.DAY),
    ("2014-6-1", "2014-06-01", DatePrecision.DAY),
    ("12 June 2014", "2014-06-12", DatePrecision.DAY),
    ("12 June, 2014", "2014-06-12", DatePrecision.DAY),
    ("1 dec 2014", "2014-12-01", DatePrecision.DAY),
    ("29 February 2016", "2016-02-29", DatePrecision.DAY),
]
REFUSED = [
    ("2014-13", "is not a real date"),
    ("2014-02-30", "is not a real date"),
    ("29 February 2014", "is not a real date"),
    ("31 June 2014", "is not a real date"),
    ("Juno 2014", "Could not read"),
    ("June", "Could not read"),
    ("12/06/2014", "Could not read"),
    ("14", "Could not read"),
    ("soon", "Could not read"),
    ("", "Could not read"),
]


@pytest.mark.parametrize(("text", "iso", "precision"), PARSED)
def test_each_accepted_form_is_read_at_its_precision(text, iso, precision):
    date = PartialDate.parse(text)
    assert (date.isoformat(), date.precision) == (iso, precision)


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_each_refused_form_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


@pytest.mark.parametrize(("text", "iso", "precision"), PARSED)
def test_json_round_trips_every_precision(text, iso, precision):
    date = PartialDate.parse(text)
    assert PartialDate.from_json(date.as_json()) == date
    assert PartialDate.from_json(date.isoformat()) == date


@pytest.mark.parametrize(
    "data",
    [{"date": "June 2014"}, {"date": "2014-06", "precision": "day"}, {"date": 2014}, "12/06/2014"],
)
def test_json_that_is_not_an_iso_partial_date_is_refused(data):
    with pytest.raises(ValueError):
        PartialDate.from_json(data)


def test_a_model_attribute_sets_both_columns_and_clears_them():
    from claims.models import Claim

    claim = Claim(made=PartialDate.parse("June 2014"))
    assert (claim.made_on, claim.made_on_precision) == (datetime.date(2014, 6, 1), "month")
    claim.made = None
    assert (claim.made_on, claim.made_on_precision, claim.made) == (None, "day", None)
    with pytest.raises(TypeError):
        claim.made = datetime.date(2014, 6, 1)
