"""Reading a cell as text, a date, a time, an amount or a whole number, as people type them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from app.io import formula

# Where 03/04/2026 means 4 March; everywhere else it means 3 April.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW"})
TWO_DIGIT_YEAR_PIVOT = 70  # 69 is 2069, 70 is 1970


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Formats:
    """How the file writes dates and numbers; detect_formats() guesses, the user may choose."""

    day_first: bool = True  # 03/04/2026 is 3 April; False: 4 March (d.m.Y and ISO are clear)
    decimal_comma: bool = False  # 1.234,56; False: 1,234.56
    zone: str = "UTC"  # the time zone of times written without one (the company's)

    @property
    def date_words(self) -> str:
        return "day/month/year" if self.day_first else "month/day/year"

    @property
    def number_example(self) -> str:
        return "1.234,56" if self.decimal_comma else "1,234.56"


_DATE = re.compile(
    r"""^\s*(?:
        (?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})
      | (?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})
    )
    (?:(?:[T\s]+|,\s*)(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6})\d*)?)?
       \s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?
    \s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE,
)
# The commonest shape, d.m.Y or d/m/Y with an optional H:M[:S], read without the full pattern.
_QUICK_DATE = re.compile(
    r"\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)
_AMBIGUOUS_DATE = re.compile(r"^\s*(\d{1,2})[-/](\d{1,2})[-/](\d{4}|\d{2})\b")
_CURRENCY = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$|[€$£¥₹₽₺₩]|\bFr\.|\bkr\b")
_SPACES = re.compile(r"[\s\u00a0\u202f'’]")


def simplify(text: str) -> str:
    """Lower case without accents, spaces or punctuation: 'E-Mail Adresse' -> 'emailadresse'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def text_of(value: Any) -> str:
    """A cell as text: a quote Tandem put before a formula character is taken off again, and a
    whole number from a sheet loses its '.0' (a phone number stored as a number)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return formula.unescape(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- dates and times ------------------------------------------------------------------------


def parse_date(value: Any, formats: Formats) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse(value, formats, want_time=False).date()


def parse_datetime(value: Any, formats: Formats) -> dt.datetime:
    """A moment as stored: naive UTC. Times without a zone are the company's local time."""
    if isinstance(value, dt.datetime):
        return _to_utc(value, formats)
    if isinstance(value, dt.date):
        return _to_utc(dt.datetime.combine(value, dt.time()), formats)
    return _parse(value, formats, want_time=True)


def datetime_reader(formats: Formats) -> Callable[[Any], dt.datetime]:
    """parse_datetime for a whole column, with fast paths for ISO text (as Tandem exports it)
    and for d.m.Y H:M; the general pattern reads everything else."""
    zone = zoneinfo.ZoneInfo(formats.zone)

    def utc(moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            offset = zone.utcoffset(moment)  # a wall-clock time in the company's zone
            return moment - offset if offset else moment
        return moment.astimezone(dt.UTC).replace(tzinfo=None)

    def read(cell: Any) -> dt.datetime:
        if type(cell) is str:
            if cell[4:5] == "-":
                try:
                    return utc(dt.datetime.fromisoformat(cell.strip()))
                except ValueError:
                    pass  # not ISO after all, or not a real date: the general path says which
            elif quick := _QUICK_DATE.match(cell):
                return utc(_quick(quick, formats))
        return parse_datetime(cell, formats)

    return read


def _to_utc(moment: dt.datetime, formats: Formats) -> dt.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(formats.zone))
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _parse(value: Any, formats: Formats, *, want_time: bool) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value, formats, want_time)
    text = text_of(value)
    quick = _QUICK_DATE.match(text)
    if quick:
        moment = _quick(quick, formats)
        return _to_utc(moment, formats) if want_time else moment
    match = _DATE.match(text)
    if not match:
        raise CellError("not a date Tandem can read; write it as 2026-03-31")
    parts = match.groupdict()
    if parts["iy"]:
        year, month, day = int(parts["iy"]), int(parts["im"]), int(parts["id"])
        order = "year-month-day"
    else:
        first, second = int(parts["a"]), int(parts["b"])
        day_first = parts["sep"] == "." or formats.day_first
        day, month = (first, second) if day_first else (second, first)
        year = int(parts["y"])
        if len(parts["y"]) == 2:
            year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
        order = "day.month.year" if parts["sep"] == "." else formats.date_words
    try:
        moment = dt.datetime(year, month, day)
    except ValueError:
        raise CellError(f"not a real date (read as {order})") from None
    if parts["h"] is not None:
        moment = _with_time(moment, parts)
    if not want_time:
        return moment
    tz = parts["tz"]
    if tz:
        return _with_zone(moment, tz)
    return _to_utc(moment, formats)


def _quick(match: re.Match[str], formats: Formats) -> dt.datetime:
    first, sep, second, year, hour, minute, seconds = match.groups()
    day_first = sep == "." or formats.day_first
    day, month = (int(first), int(second)) if day_first else (int(second), int(first))
    try:
        moment = dt.datetime(int(year), month, day)
    except ValueError:
        order = "day.month.year" if sep == "." else formats.date_words
        raise CellError(f"not a real date (read as {order})") from None
    if hour is None:
        return moment
    try:
        return dt.datetime(int(year), month, day, int(hour), int(minute), int(seconds or 0))
    except ValueError:
        raise CellError("not a real time of day") from None


def _with_time(moment: dt.datetime, parts: dict[str, str | None]) -> dt.datetime:
    hour, minute = int(parts["h"] or 0), int(parts["min"] or 0)
    second = int(parts["s"] or 0)
    micro = int((parts["frac"] or "0").ljust(6, "0"))
    ampm = (parts["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise CellError("not a real time of day")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return moment.replace(hour=hour, minute=minute, second=second, microsecond=micro)
    except ValueError:
        raise CellError("not a real time of day") from None


def _with_zone(moment: dt.datetime, tz: str) -> dt.datetime:
    if tz in ("Z", "UTC"):
        return moment
    sign = 1 if tz[0] == "+" else -1
    digits = tz[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment - sign * offset


def _excel_serial(number: float, formats: Formats, want_time: bool) -> dt.datetime:
    """A sheet cell that holds a date as Excel's day count without a date format."""
    if not 1 <= number < 2958466:
        raise CellError("not a date")
    moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=float(number))
    moment = moment.replace(microsecond=0)
    return _to_utc(moment, formats) if want_time else moment


# --- numbers --------------------------------------------------------------------------------


def parse_decimal(value: Any, formats: Formats, *, places: int = 2) -> Decimal:
    """An amount as written in the file's number format; more decimals than places is an error
    (it is how a 1.234 meant as a thousand shows up when the format was guessed wrong)."""
    if isinstance(value, bool):
        raise CellError("not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("not a number")
        # A sheet's 0.1 + 0.2 is 0.30000000000000004; money has whole cents.
        return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places))
    text = text_of(value).strip()
    number = _read_number(text, formats)
    if number is None:
        raise CellError(f"not a number written like {formats.number_example}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            raise CellError("not a whole number")
        raise CellError(
            f"more than {places} decimal places (numbers are read like {formats.number_example})"
        )
    return number


def parse_int(value: Any, formats: Formats) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("not a whole number")
        return int(value)
    return int(parse_decimal(value, formats, places=0))


def _read_number(text: str, formats: Formats) -> Decimal | None:
    negative = text.startswith("(") and text.endswith(")")  # accountants' negative
    if negative:
        text = text[1:-1]
    text = _SPACES.sub("", _CURRENCY.sub("", text))
    if text[:1] in "+-":
        negative, text = negative or text[0] == "-", text[1:]
    thousands, point = (".", ",") if formats.decimal_comma else (",", ".")
    pattern = rf"(?:\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d*)(?:{re.escape(point)}\d+)?"
    if not text or not re.fullmatch(pattern, text) or not any(c.isdigit() for c in text):
        return None
    try:
        number = Decimal(text.replace(thousands, "").replace(point, "."))
    except InvalidOperation:
        return None
    return -number if negative else number


# --- guessing the formats -------------------------------------------------------------------


def detect_formats(
    dates: Iterable[Any],
    numbers: Iterable[Any],
    *,
    delimiter: str = ",",
    country: str = "",
    zone: str = "UTC",
) -> Formats:
    """Formats from sample values of the date and number columns. Evidence in the values wins:
    a 25/03/2026 settles the day first, a 1.234,56 the decimal comma. Without evidence: the
    company's country for dates, and a semicolon-separated file means decimal commas."""
    day_first = None
    for value in dates:
        if isinstance(value, str) and (match := _AMBIGUOUS_DATE.match(formula.unescape(value))):
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                day_first = True
                break
            if second > 12 >= first:
                day_first = False
                break
    if day_first is None:
        day_first = country.upper() not in MONTH_FIRST_COUNTRIES
    decimal_comma = None
    for value in numbers:
        if isinstance(value, str):
            decimal_comma = _decimal_comma_evidence(value)
            if decimal_comma is not None:
                break
    if decimal_comma is None:
        decimal_comma = delimiter == ";"
    return Formats(day_first=day_first, decimal_comma=decimal_comma, zone=zone)


def _decimal_comma_evidence(value: str) -> bool | None:
    text = _SPACES.sub("", _CURRENCY.sub("", value.strip()))
    comma, point = text.rfind(","), text.rfind(".")
    if comma >= 0 and point >= 0:
        return comma > point  # the last separator is the decimal one
    for mark, means_comma in ((",", True), (".", False)):
        position = comma if mark == "," else point
        if position >= 0:
            decimals = len(text) - position - 1
            grouped = re.fullmatch(rf"[+-]?\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", text)
            if grouped and text.count(mark) > 1:
                return not means_comma  # 1,234,567: commas group thousands
            if not grouped and decimals > 0:
                return means_comma
    return None
