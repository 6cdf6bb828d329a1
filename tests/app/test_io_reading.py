"""Reading files as people produce them: encodings, delimiters, header rows, sheets, junk."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest

from app.errors import UserError
from app.io import reader, sniff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"
ROWS = [
    ["Name", "Company", "Notes"],
    ["Jürgen Müller", "Bäckerei Größ", "Preis: 12 €"],
    ["Renée Dubois", "Café Crème", "déjà vu"],
    ["Zoë Łukasiewicz", "Łódź Sp. z o.o.", "plain"],
]
ENCODINGS = {
    "utf-8": ("utf-8", "utf-8"),
    "utf-8 with BOM": ("utf-8-sig", "utf-8-sig"),
    "utf-16 (Excel Unicode text)": ("utf-16", "utf-16"),
    "windows-1252": ("cp1252", "cp1252"),
    "latin-1": ("latin-1", "cp1252"),  # read as its superset: the same letters
}


def _write(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> Path:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _read_all(layout: reader.Layout) -> list[reader.Row]:
    with reader.open_table(layout) as table:
        return list(table.rows)


def _rows_for(encoding: str) -> list[list[str]]:
    # Windows-1252 and Latin-1 have no Ł, and Latin-1 has no euro sign.
    if encoding == "latin-1":
        return [[cell.replace("€", "EUR") for cell in row] for row in ROWS[:3]]
    if encoding == "cp1252":
        return ROWS[:3]
    return ROWS


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"]
)
@pytest.mark.parametrize("name", list(ENCODINGS))
def test_every_encoding_and_delimiter_is_detected_and_read_back(tmp_path, name, delimiter):
    encoding, detected = ENCODINGS[name]
    rows = _rows_for(encoding)
    path = _write(tmp_path / "people.csv", rows, delimiter, encoding)

    layout = reader.detect_layout(path)
    headers, read = reader.preview(layout)

    assert codecs.lookup(layout.encoding).name == codecs.lookup(detected).name
    assert layout.delimiter == delimiter
    assert layout.header_row == 1
    assert headers == rows[0]
    assert [r.values for r in read] == rows[1:]


def test_polish_windows_1250_is_told_from_windows_1252(tmp_path):
    path = tmp_path / "polska.csv"
    path.write_bytes("Imię;Nazwisko\nŁukasz;Żółć\nGrzegorz;Brzęczyszczykiewicz\n".encode("cp1250"))

    layout = reader.detect_layout(path)

    assert layout.encoding == "cp1250"
    assert reader.preview(layout)[1][0].values == ["Łukasz", "Żółć"]


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "first"),
    [
        ("salesforce-leads.csv", "utf-8-sig", ",", ["Ada", "Lovelace", "Analytical Engines Ltd"]),
        ("excel-unicode-text.txt", "utf-16", "\t", ["Jürgen", "Müller", "Bäckerei Größ GmbH"]),
        ("kontakte-windows-1252.csv", "cp1252", ";", ["Jörg Schäfer", "Schäfer & Söhne"]),
        ("contacts-latin-1.txt", "cp1252", "|", ["Élodie", "Lefèvre", "Crème brûlée SARL"]),
    ],
)
def test_sample_files_from_other_programs(name, encoding, delimiter, first):
    layout = reader.detect_layout(FIXTURES / name)
    _headers, rows = reader.preview(layout)

    assert (layout.encoding, layout.delimiter) == (encoding, delimiter)
    assert rows[0].values[: len(first)] == first


def test_quoted_fields_keep_line_breaks_and_rows_know_their_physical_lines(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        'Name,Notes\r\nAda,"one\r\ntwo\r\nthree"\r\nGrace,"say ""hi"", then go"\r\n\r\nLinus,x\r\n',
        encoding="utf-8",
    )

    _headers, rows = reader.preview(reader.detect_layout(path))

    assert [(r.line, r.last_line) for r in rows if not r.is_blank] == [(2, 4), (5, 5), (7, 7)]
    assert rows[0].values == ["Ada", "one\r\ntwo\r\nthree"]
    assert rows[1].values == ["Grace", 'say "hi", then go']


def test_title_lines_above_the_table_are_skipped(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Leads exported 2026-03-01\n\nName;Email;Phone\nAda;ada@example.com;123\n")

    layout = reader.detect_layout(path)

    assert layout.header_row == 3
    assert reader.preview(layout)[0] == ["Name", "Email", "Phone"]


def test_the_caller_overrides_what_was_detected(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes("Name;Company\nRenée;Café\n".encode("cp1252"))

    layout = reader.detect_layout(path, encoding="latin-1", delimiter=",", header_row=2)

    assert (layout.encoding, layout.delimiter, layout.header_row) == ("iso8859-1", ",", 2)
    assert reader.preview(layout) == (["Renée;Café"], [])


@pytest.mark.parametrize("word", ["tab", "TAB", "\\t", "\t"])
def test_a_tab_delimiter_may_be_named(word):
    assert sniff.parse_delimiter(word) == "\t"


@pytest.mark.parametrize("bad", ["", "ab", '"', "x"])
def test_a_delimiter_must_be_one_separating_character(bad):
    with pytest.raises(UserError, match="cannot separate columns"):
        sniff.parse_delimiter(bad)


def test_an_unknown_encoding_is_a_clear_error(tmp_path):
    path = _write(tmp_path / "a.csv", ROWS, ",", "utf-8")
    with pytest.raises(UserError, match="does not know the encoding 'klingon'"):
        reader.detect_layout(path, encoding="klingon")


def test_a_wrongly_chosen_encoding_is_reported_with_the_line(tmp_path):
    lines = ["Name,Notes"] + [f"Person {n},plain" for n in range(5000)] + ["Jörg,Müller"]
    path = tmp_path / "late.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    layout = reader.detect_layout(path)  # the sample is all ASCII, so it looks like UTF-8

    with pytest.raises(UserError, match=r"Near line \d+, late.csv is not utf-8 text"):
        _read_all(layout)


# --- malformed input: a clear message, never a traceback --------------------------------------


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(UserError, match=r"empty\.csv is empty"):
        reader.detect_layout(path)


def test_a_file_of_blank_lines_and_a_bom_is_empty(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n\r\n  \n")
    with pytest.raises(UserError, match="is empty"):
        reader.detect_layout(path)


def test_binary_junk_is_not_a_table(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UserError, match="not a text table"):
        reader.detect_layout(path)


def test_an_old_excel_file_is_recognised(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(reader.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(UserError, match=r"old Excel file \(.xls\)"):
        reader.detect_layout(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(reader.ZIP_MAGIC + b"\x00" * 100)
    with pytest.raises(UserError, match="not a workbook Tandem can read"):
        reader.detect_layout(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(UserError, match="There is no file"):
        reader.detect_layout(tmp_path / "nope.csv")


def test_a_quote_never_closed_is_found_with_its_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('Name,Notes\nAda,fine\nGrace,"oops\nLinus,x\nKen,y\n')
    with pytest.raises(UserError, match=r"opened on line 3 of quote\.csv is never closed"):
        _read_all(reader.detect_layout(path, delimiter=","))


def test_a_quote_never_closed_in_a_big_file_is_found_when_reading(tmp_path):
    lines = ["Name,Notes"] + [f"P{n},x" for n in range(10_000)] + ['Late,"never closed', "more"]
    path = tmp_path / "late-quote.csv"
    path.write_text("\n".join(lines) + "\n")
    layout = reader.detect_layout(path)  # the sample ends before the stray quote

    with pytest.raises(UserError, match="opened on line 10002"):
        _read_all(layout)


def test_a_ten_megabyte_field_is_read(tmp_path):
    path = tmp_path / "big.csv"
    big = "x" * (10 * 2**20)
    path.write_text(f"Name,Notes\nAda,{big}\nGrace,short\n")

    rows = _read_all(reader.detect_layout(path))

    assert len(rows[0].values[1]) == len(big)
    assert rows[1].values == ["Grace", "short"]


def test_a_runaway_field_beyond_the_limit_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "FIELD_LIMIT", 1000)
    path = tmp_path / "runaway.csv"
    path.write_text("Name,Notes\nAda," + "y" * 5000 + "\n")
    with pytest.raises(UserError, match=r"Line 2 of runaway\.csv holds a value longer"):
        _read_all(reader.detect_layout(path))


def test_a_stray_zero_byte_after_the_sample_stays_in_its_value(tmp_path):
    # Junk at the start is refused (above); one zero byte deep inside is just a character.
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Name,Notes\n" + b"Ada,fine\n" * 10_000 + b"Bad,a\x00b\n")

    last = _read_all(reader.detect_layout(path))[-1]

    assert last.values == ["Bad", "a\x00b"]


def test_a_header_row_beyond_the_end(tmp_path):
    path = _write(tmp_path / "short.csv", ROWS, ",", "utf-8")
    with pytest.raises(UserError, match="has no line 9"):
        reader.preview(reader.detect_layout(path, header_row=9))


def test_no_header_row_names_the_columns_by_number(tmp_path):
    path = _write(tmp_path / "bare.csv", ROWS[1:], ",", "utf-8")

    headers, rows = reader.preview(reader.detect_layout(path, header_row=0))

    assert headers == ["Column 1", "Column 2", "Column 3"]
    assert rows[0].values[0] == "Jürgen Müller"


# --- workbooks ---------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["Just a note, no table"])
    leads = book.create_sheet("Leads")
    leads.append(["Report: March"])
    leads.append([])
    leads.append(["Name", "Phone", "Created", "Value"])
    leads.append(["Ada", 4930123456, "2026-03-01", 1234.5])
    leads.append([None, None, None, None])
    leads.append(["Grace", "+1 555", None, -5])
    book.save(path)
    return path


def test_a_workbook_sheet_is_picked_by_name_and_its_header_found(tmp_path):
    path = _workbook(tmp_path / "book.xlsx")

    layout = reader.detect_layout(path, sheet="leads")
    headers, rows = reader.preview(layout)

    assert layout.format == "xlsx"
    assert layout.sheets == ("Notes", "Leads")
    assert (layout.sheet, layout.header_row) == ("Leads", 3)
    assert headers == ["Name", "Phone", "Created", "Value"]
    assert [r.line for r in rows if not r.is_blank] == [4, 6]
    assert rows[0].values == ["Ada", 4930123456, "2026-03-01", 1234.5]
    assert reader.sheet_names(path) == ["Notes", "Leads"]


def test_the_first_sheet_is_read_when_none_is_named(tmp_path):
    layout = reader.detect_layout(_workbook(tmp_path / "book.xlsx"))
    assert layout.sheet == "Notes"


def test_a_wrong_sheet_name_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path / "book.xlsx")
    with pytest.raises(
        UserError, match="has no sheet called 'Kontakte'; its sheets are: Notes, Leads"
    ):
        reader.detect_layout(path, sheet="Kontakte")
