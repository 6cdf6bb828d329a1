"""Keeping exported cells from starting a spreadsheet formula, reversibly (OWASP CSV injection)."""

from __future__ import annotations

# A spreadsheet may run a cell starting with one of these as a formula (or as part of one).
TRIGGERS = frozenset("=+-@\t\r\n")
QUOTE = "'"


def escape(text: str) -> str:
    """Prefix a quote to text a spreadsheet could run, and to text that already starts with a
    quote, so unescape() gives back exactly the original."""
    if text and (text[0] in TRIGGERS or text[0] == QUOTE):
        return QUOTE + text
    return text


def unescape(text: str) -> str:
    """Undo escape(): drop one leading quote that stands before a trigger or another quote.

    A quote before anything else is the user's own text and stays."""
    if len(text) > 1 and text[0] == QUOTE and (text[1] in TRIGGERS or text[1] == QUOTE):
        return text[1:]
    return text
