"""The PDF's Unicode fonts, and user text split into runs by which font has each character."""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "TandemSans"
BOLD = "TandemSans-Bold"
# Tried in order for characters the main font lacks; loaded only when a text needs them
# (the CJK face alone takes a third of a second to read).
FALLBACKS = (
    ("TandemCJK", "DroidSansFallbackFull.ttf"),  # Chinese, Japanese
    ("TandemKorean", "NanumGothic.ttf"),  # Hangul, which the CJK face lacks
    ("TandemArabic", "NotoSansArabic-Regular.ttf"),
    ("TandemDevanagari", "NotoSansDevanagari-Regular.ttf"),
)
# Scripts whose letters change shape or order with their neighbours (Hebrew, Arabic, the Indic
# scripts, Thai, ...): printed right only when shaped (HarfBuzz, through uharfbuzz).
_NEEDS_SHAPING = re.compile("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\ufb1d-\ufeff]")
_lock = threading.Lock()  # the plan may be printed from a worker thread while another waits


def register() -> None:
    """Make the main fonts known to ReportLab (once per process)."""
    with _lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
        # <b> inside a paragraph then picks the bold face.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)


def _fallback(name: str, file: str) -> TTFont:
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
        font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font


@cache
def _has(font_name: str, character: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    return ord(character) in font.face.charToGlyph


def font_for(character: str, main: str = REGULAR) -> str:
    """The font to print a character in: the main one when it has it, else the first fallback
    that does (the main one again if none has it, which prints a blank box)."""
    if character.isspace() or _has(main, character):
        return main
    for name, file in FALLBACKS:
        _fallback(name, file)
        if _has(name, character):
            return name
    return main


def runs(text: str, main: str = REGULAR) -> list[tuple[str, str]]:
    """The text as (font name, piece) runs, each piece printable in its font."""
    register()
    found: list[tuple[str, str]] = []
    for character in text:
        name = font_for(character, main)
        if found and found[-1][0] == name:
            found[-1] = (name, found[-1][1] + character)
        else:
            found.append((name, character))
    return found


def markup(text: str, main: str = REGULAR) -> str:
    """User text as Paragraph markup that prints it literally: &, < and > escaped, line breaks
    kept, and runs the main font lacks wrapped in the font that has them."""
    parts = []
    for name, piece in runs(text, main):
        escaped = escape(piece).replace("\n", "<br/>")
        parts.append(escaped if name == main else f'<font face="{name}">{escaped}</font>')
    return "".join(parts)


def single_font(text: str, main: str = REGULAR) -> str:
    """One font for a short label drawn where runs cannot be mixed (a chart): the main font,
    or the fallback that has every character the main one lacks."""
    names = {name for name, _piece in runs(text, main)} - {main}
    return names.pop() if len(names) == 1 else main


def needs_shaping(text: str) -> bool:
    return bool(_NEEDS_SHAPING.search(text))
