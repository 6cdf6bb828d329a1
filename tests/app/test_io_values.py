"""Cells as people type them: dates, times, amounts, choices, and the formula quote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.io import choices, formula, values
from app.io.values import CellError, Formats

DAY_FIRST = Formats(day_first=True, zone="Europe/Berlin")
MONTH_FIRST = Formats(day_first=False, zone="America/New_York")
COMMA = Formats(decimal_comma=True)
POINT = Formats(decimal_comma=False)


@pytest.mark.parametrize(
    ("text", "formats", "day"),
    [
        ("2026-03-31", DAY_FIRST, dt.date(2026, 3, 31)),
        ("2026/03/31", DAY_FIRST, dt.date(2026, 3, 31)),
        ("31.03.2026", MONTH_FIRST, dt.date(2026, 3, 31)),  # dots are always day first
        ("31/03/2026", DAY_FIRST, dt.date(2026, 3, 31)),
        ("03/31/2026", MONTH_FIRST, dt.date(2026, 3, 31)),
        ("04/03/2026", DAY_FIRST, dt.date(2026, 3, 4)),
        ("04/03/2026", MONTH_FIRST, dt.date(2026, 4, 3)),
        ("4-3-26", DAY_FIRST, dt.date(2026, 3, 4)),
        ("1.2.99", DAY_FIRST, dt.date(1999, 2, 1)),
        (" 2026-03-31 ", DAY_FIRST, dt.date(2026, 3, 31)),
    ],
)
def test_dates_in_the_common_formats(text, formats, day):
    assert values.parse_date(text, formats) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", r"not a real date \(read as day/month/year\)"),
        ("29.02.2026", r"not a real date \(read as day\.month\.year\)"),
        ("2026-13-01", r"not a real date \(read as year-month-day\)"),
        ("next Tuesday", "not a date Tandem can read"),
        ("31/03", "not a date Tandem can read"),
    ],
)
def test_an_impossible_date_is_an_error_never_a_guess(text, reason):
    with pytest.raises(CellError, match=reason):
        values.parse_date(text, DAY_FIRST)


def test_thirteenth_month_in_month_first_order_is_an_error():
    with pytest.raises(CellError, match="month/day/year"):
        values.parse_date("13/25/2026", MONTH_FIRST)


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-03-31 14:30", dt.datetime(2026, 3, 31, 12, 30)),  # Berlin summer time: +2
        ("2026-01-15T14:30:05", dt.datetime(2026, 1, 15, 13, 30, 5)),  # winter: +1
        ("31.03.2026 14:30", dt.datetime(2026, 3, 31, 12, 30)),
        ("31/03/2026 2:30 PM", dt.datetime(2026, 3, 31, 12, 30)),
        ("31/03/2026 12:00 am", dt.datetime(2026, 3, 30, 22, 0)),
        ("2026-03-31T14:30:00Z", dt.datetime(2026, 3, 31, 14, 30)),
        ("2026-03-31 14:30:00+05:30", dt.datetime(2026, 3, 31, 9, 0)),
        ("2026-03-31", dt.datetime(2026, 3, 30, 22, 0)),  # midnight in Berlin
    ],
)
def test_times_are_local_to_the_company_unless_they_say_otherwise(text, utc):
    assert values.parse_datetime(text, DAY_FIRST) == utc
    assert values.datetime_reader(DAY_FIRST)(text) == utc  # the fast paths agree


@pytest.mark.parametrize("text", ["31.03.2026 25:00", "2026-03-31 14:61", "31/03/2026 13:00 PM"])
def test_an_impossible_time_is_an_error(text):
    with pytest.raises(CellError, match="not a real time"):
        values.datetime_reader(DAY_FIRST)(text)


def test_sheet_cells_hold_dates_and_day_numbers():
    assert values.parse_date(dt.datetime(2026, 3, 31, 9), DAY_FIRST) == dt.date(2026, 3, 31)
    assert values.parse_datetime(dt.datetime(2026, 3, 31, 9), DAY_FIRST) == dt.datetime(
        2026, 3, 31, 7
    )
    assert values.parse_date(46112, DAY_FIRST) == dt.date(2026, 3, 31)  # Excel's day count


@pytest.mark.parametrize(
    ("text", "formats", "amount"),
    [
        ("1,234.56", POINT, Decimal("1234.56")),
        ("1.234,56", COMMA, Decimal("1234.56")),
        ("1234,5", COMMA, Decimal("1234.5")),
        ("1 234,56 €", COMMA, Decimal("1234.56")),
        ("€ 1.234.567", COMMA, Decimal("1234567")),
        ("$1,234,567.89", POINT, Decimal("1234567.89")),
        ("EUR 12.50", POINT, Decimal("12.50")),
        ("1'234.50", POINT, Decimal("1234.50")),
        ("-12", POINT, Decimal("-12")),
        ("(300.00)", POINT, Decimal("-300.00")),
        (".5", POINT, Decimal("0.5")),
        ("'-5", POINT, Decimal("-5")),  # escaped by an export
    ],
)
def test_amounts_in_both_number_formats(text, formats, amount):
    assert values.parse_decimal(text, formats) == amount


@pytest.mark.parametrize(
    ("text", "formats", "reason"),
    [
        ("1.234,56", POINT, "not a number written like 1,234.56"),
        ("1,2,3", POINT, "not a number"),
        ("12abc", POINT, "not a number"),
        ("1.234", POINT, "more than 2 decimal places"),  # a thousand, read in the wrong format
        ("1,5", POINT, "not a number"),
    ],
)
def test_numbers_that_do_not_fit_the_format_are_errors(text, formats, reason):
    with pytest.raises(CellError, match=reason):
        values.parse_decimal(text, formats)


def test_sheet_numbers_are_numbers_and_cents_are_rounded_from_float_noise():
    assert values.parse_decimal(0.1 + 0.2, POINT) == Decimal("0.30")
    assert values.parse_decimal(-5, POINT) == Decimal(-5)
    assert values.parse_int(12.0, POINT) == 12
    with pytest.raises(CellError, match="whole number"):
        values.parse_int("12.5", POINT)


@pytest.mark.parametrize(
    ("dates", "numbers", "delimiter", "country", "day_first", "comma"),
    [
        (["03/04/2026", "25/04/2026"], [], ",", "US", True, False),  # 25 settles it
        (["03/04/2026", "04/25/2026"], [], ",", "DE", False, False),
        (["03/04/2026"], [], ",", "US", False, False),  # ambiguous: the company's country
        (["03/04/2026"], [], ",", "DE", True, False),
        ([], ["1.234,56"], ",", "US", False, True),
        ([], ["12,5"], ",", "US", False, True),
        ([], ["1,234,567"], ";", "DE", True, False),
        ([], ["1,234"], ";", "DE", True, True),  # ambiguous: a semicolon file is European
        ([], ["1,234"], ",", "DE", True, False),
    ],
)
def test_formats_are_guessed_from_the_values(dates, numbers, delimiter, country, day_first, comma):
    formats = values.detect_formats(dates, numbers, delimiter=delimiter, country=country)
    assert (formats.day_first, formats.decimal_comma) == (day_first, comma)


@pytest.mark.parametrize(
    ("kind", "field", "text", "value"),
    [
        ("leads", "source", "Cold Call", "cold_call"),
        ("leads", "source", "Empfehlung", "referral"),
        ("leads", "source", "Trade show", "other"),  # unknown words keep "other"
        ("leads", "customer_type", "Privatkunde", "b2c"),
        ("leads", "temperature", "Hot", "qualified"),
        ("campaigns", "channel", "LinkedIn", "social_ads"),
        ("campaigns", "channel", "Webinar series", "other"),
        ("campaigns", "status", "In Progress", "active"),
        ("deals", "stage", "Closed Won", "won"),
        ("deals", "stage", "Proposal/Price Quote", "proposal"),
    ],
)
def test_words_for_fixed_choices(kind, field, text, value):
    assert choices.choose(kind, field, text) == value


def test_unknown_words_for_strict_choices_are_refused():
    assert choices.choose("leads", "temperature", "lukewarm-ish") is None
    assert choices.choose("deals", "stage", "Pending") is None


@pytest.mark.parametrize(
    "text", ["=1+1", "+49 30 1234", "-5", "@SUM(A1)", "\tx", "\rx", "\nx", "'quoted", "''", "'"]
)
def test_formula_escaping_round_trips_and_disarms(text):
    escaped = formula.escape(text)

    assert escaped[0] not in formula.TRIGGERS
    assert escaped.startswith("'")
    assert formula.unescape(escaped) == text


@pytest.mark.parametrize("text", ["", "plain", "O'Brien", "1-2", "a=b"])
def test_harmless_text_is_left_alone(text):
    assert formula.escape(text) == text
    assert formula.unescape(text) == text


def test_a_quote_before_ordinary_text_is_the_users_own():
    assert formula.unescape("'tis the season") == "'tis the season"
