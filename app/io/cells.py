"""Reading one cell of a field: text, an email, a date, an amount, a choice or a name."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app import team
from app.io import choices, formula, values
from app.io.context import Context
from app.io.mapping import Field
from app.io.values import CellError, Formats

CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "fr": "CHF"}
Reader = Callable[[Any], Any]


def shown(cell: Any) -> str:
    """The cell as an error report shows it: a ten-megabyte note is cut to 200 characters."""
    text = values.text_of(cell)
    return text if len(text) <= 200 else text[:199] + "…"


def _plain(cell: Any) -> str:
    """The cell's text as typed: a formula quote taken off, nothing else changed."""
    if type(cell) is str:
        return formula.unescape(cell) if cell[:1] == "'" else cell
    return values.text_of(cell)


def cell_reader(kind: str, spec: Field, ctx: Context) -> Reader:
    """A function that reads one cell of this field, or raises CellError with the reason."""
    formats = ctx.formats
    reads = spec.reads
    if reads in ("text", "phone", "notes", "email"):
        return _text_reader(spec)
    if reads == "date":
        return lambda cell: values.parse_date(cell, formats)
    if reads == "datetime":
        return values.datetime_reader(formats)
    if reads == "money":
        return lambda cell: _money(spec, cell, formats)
    if reads == "count":
        return lambda cell: _count(spec, cell, formats)
    if reads == "percent":
        return lambda cell: _percent(cell, formats)
    if reads == "currency":
        return _currency
    if reads == "choice":
        return _choice_reader(kind, spec)
    if reads == "member":
        return lambda cell: ctx.member(_plain(cell).strip())
    if reads == "campaign":
        return lambda cell: ctx.campaign(_plain(cell).strip())
    if reads == "lead":
        return lambda cell: ctx.lead(_plain(cell).strip())
    raise AssertionError(reads)


def _text_reader(spec: Field) -> Reader:
    limit, strip, email = spec.max_length, spec.reads != "notes", spec.reads == "email"
    too_long = f"{spec.label} is longer than {limit:,} characters"

    def read(cell: Any) -> str:
        if type(cell) is not str:
            text = values.text_of(cell)
        elif cell[:1] == "'":
            text = formula.unescape(cell)
        else:
            text = cell
        if strip:
            text = text.strip()
        if email:
            # Stored in lower case, as app.leads does: addresses are case-blind.
            text = (text[7:] if text[:7].lower() == "mailto:" else text).lower()
            if not team.EMAIL.match(text):
                raise CellError("does not look like an email address")
        if limit and len(text) > limit:
            raise CellError(too_long)
        return text

    return read


def _money(spec: Field, cell: Any, formats: Formats) -> Decimal:
    amount = values.parse_decimal(cell, formats)
    if amount < 0:
        raise CellError(f"{spec.label} cannot be negative")
    if abs(amount) >= Decimal(10) ** 12:
        raise CellError(f"{spec.label} is too large")
    return amount


def _count(spec: Field, cell: Any, formats: Formats) -> int:
    number = values.parse_int(cell, formats)
    if number < 0:
        raise CellError(f"{spec.label} cannot be negative")
    return number


def _percent(cell: Any, formats: Formats) -> int:
    if isinstance(cell, float) and 0 < cell < 1:
        cell *= 100  # a sheet cell formatted as a percentage holds 0.6 for 60 %
    text = _plain(cell).strip().rstrip("%").strip() if isinstance(cell, str) else cell
    number = values.parse_decimal(text, formats, places=4)
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise CellError("not a percentage from 0 to 100")
    return int(number)


def _currency(cell: Any) -> str:
    text = _plain(cell).strip()
    code = CURRENCY_SIGNS.get(text.lower(), text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError("not a currency code such as EUR, USD or GBP")
    return code


def _choice_reader(kind: str, spec: Field) -> Reader:
    allowed = ", ".join(choices.ALLOWED[(kind, spec.name)])
    unknown = f"not a {spec.label.lower()} Tandem knows; use one of: {allowed}"
    seen: dict[str, str] = {}  # a column repeats a handful of words: each is looked up once

    def read(cell: Any) -> str:
        text = _plain(cell)
        found = seen.get(text)
        if found is None:
            found = choices.choose(kind, spec.name, text.strip())
            if found is None:
                raise CellError(unknown)
            if len(seen) < 10_000:
                seen[text] = found
        return found

    return read
