"""Guessing how a text table is written: its encoding, delimiter and the row naming the columns."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Sequence

from app.errors import UserError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_WORDS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "\\t": "\t",
    "pipe": "|",
}
# Single-byte encodings of Latin-script languages. On a short sample charset-normalizer often
# cannot tell them apart (it calls German Windows-1252 text Baltic or Mac Central European), so
# when it guesses one of these, Tandem chooses between Windows-1252, what Excel writes in the
# West, and Windows-1250 (Central Europe): the one that reads more bytes as letters, 1252 on a
# tie. Polish "Łódź" in 1250 read as 1252 is "£ódŸ": fewer letters, so 1250 wins there.
_LATIN_GUESSES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp437", "cp775", "cp850", "cp858", "latin_1",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland",
    "mac_turkish",
}  # fmt: skip
_LATIN_CHOICES = ("cp1252", "cp1250")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_encoding(name: str) -> str:
    """The codec's own name for an encoding the user typed, or a UserError."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise UserError(
            f"Tandem does not know the encoding '{name}'. Try utf-8, utf-16 or windows-1252."
        ) from None


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The encoding of a text file, from its first bytes (complete: the sample is the whole file).

    A byte-order mark decides; then strict UTF-8, since text that decodes as UTF-8 almost surely
    is; then UTF-16 without a mark, told by its zero bytes; then charset-normalizer."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    return _legacy_encoding(sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _legacy_encoding(sample: bytes) -> str:
    from charset_normalizer import from_bytes  # loaded on first use: it costs start-up time

    best = from_bytes(sample).best()
    if best is not None and best.encoding not in _LATIN_GUESSES:
        return str(best.encoding)  # Cyrillic, Greek, Japanese, Chinese …: its judgement stands

    def letters(encoding: str) -> int:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            return -1
        return sum(1 for char in text if ord(char) > 127 and char.isalpha())

    chosen = max(_LATIN_CHOICES, key=letters)  # max keeps the first of equals: Windows-1252
    if letters(chosen) < 0:
        return "latin_1"  # reads any byte; the user sees the preview and may choose another
    return chosen


def has_bom(sample: bytes) -> bool:
    return any(sample.startswith(bom) for bom, _name in _BOMS)


def check_text(text: str) -> None:
    """Refuse what is not a text table at all: a program, a picture, a zip without a workbook."""
    if not text:
        return
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise UserError(
            "This file is not a text table (CSV) or an Excel workbook (XLSX); "
            "Tandem cannot read it."
        )


def parse_delimiter(text: str) -> str:
    """The delimiter for what the user typed: the character itself or its name ('tab')."""
    value = DELIMITER_WORDS.get(text.strip().lower(), text)
    if len(value) != 1 or value in '"\r\n' or value.isalnum():
        raise UserError(
            f"'{text}' cannot separate columns; use one character such as , ; | or the word tab."
        )
    return value


def _records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    if not complete and records:
        records.pop()  # cut off by the end of the sample
    return [r for r in records if any(cell.strip() for cell in r)]


def _consistency(records: Sequence[Sequence[str]]) -> tuple[float, int]:
    """How many records share the commonest column count (as a share), and that count."""
    if not records:
        return 0.0, 0
    counts = Counter(len(r) for r in records)
    columns, times = counts.most_common(1)[0]
    if columns < 2:
        return 0.0, columns
    return times / len(records), columns


def detect_delimiter(text: str, *, complete: bool) -> str:
    """The delimiter that splits the sample into the most consistent number of columns.

    csv.Sniffer breaks ties (and fails alone on quoted fields and sparse columns, so it only
    breaks ties); a file that no delimiter splits is read as one column."""
    scores = {d: _consistency(_records(text, d, complete)) for d in DELIMITERS}
    best = max(scores.values())
    if best[1] < 2:
        return ","
    tied = [d for d in DELIMITERS if scores[d] == best]
    if len(tied) > 1:
        try:
            sniffed = csv.Sniffer().sniff(text[:20_000], delimiters="".join(DELIMITERS))
            if sniffed.delimiter in tied:
                return sniffed.delimiter
        except csv.Error:
            pass
    return tied[0]


def _looks_like_data(cell: object) -> bool:
    if cell is None:
        return False
    if not isinstance(cell, str):
        return True  # numbers and dates in a workbook
    text = cell.strip().replace(".", "").replace(",", "").replace("-", "").replace("/", "")
    return text.isdigit() or "@" in cell


def detect_header_row(records: Sequence[Sequence[object]]) -> int:
    """Which of the first records names the columns (0-based): the first as wide as most rows
    whose cells hold words rather than numbers or emails. Title lines above a table are skipped
    this way; when nothing looks like a header, the first non-blank record is taken."""
    filled = [[c for c in r if c is not None and str(c).strip()] for r in records]
    widths = Counter(len(f) for f in filled if f)
    if not widths:
        return 0
    width = widths.most_common(1)[0][0]
    for index, cells in enumerate(filled[:20]):
        if cells and len(cells) >= width and not any(_looks_like_data(c) for c in cells):
            return index
    return next(index for index, cells in enumerate(filled) if cells)
