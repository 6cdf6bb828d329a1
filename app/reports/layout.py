"""The printed plan's look: paragraph styles, tables, page furniture and "page x of y"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.reports import fonts
from app.reports.charts import GRID, INK, MUTED

PAPER = {"A4": A4, "Letter": LETTER}
MARGIN = 18 * mm
HEADER_GAP = 9 * mm  # between the header line and the text frame
ZEBRA = colors.HexColor("#f4f7f9")
ACCENT = colors.HexColor("#2f6f9a")


def styles() -> StyleSheet1:
    """The named paragraph styles every part of the plan uses."""
    fonts.register()
    sheet = StyleSheet1()
    base = ParagraphStyle("Body", fontName=fonts.REGULAR, fontSize=9.5, leading=13, textColor=INK)
    sheet.add(base)
    sheet.add(ParagraphStyle("Muted", parent=base, textColor=MUTED, fontSize=8.5, leading=11.5))
    sheet.add(
        ParagraphStyle(
            "Section",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=4,
            spaceAfter=8,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Heading",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=10,
            spaceAfter=4,
        )
    )
    sheet.add(ParagraphStyle("Cell", parent=base, fontSize=8.5, leading=10.5))
    sheet.add(ParagraphStyle("CellRight", parent=sheet["Cell"], alignment=TA_RIGHT))
    sheet.add(
        ParagraphStyle(
            "CellHead", parent=sheet["Cell"], fontName=fonts.BOLD, textColor=colors.white
        )
    )
    sheet.add(ParagraphStyle("CellHeadRight", parent=sheet["CellHead"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=fonts.BOLD))
    sheet.add(ParagraphStyle("CellBoldRight", parent=sheet["CellBold"], alignment=TA_RIGHT))
    sheet.add(
        ParagraphStyle(
            "CoverTitle",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=28,
            leading=34,
            alignment=TA_LEFT,
        )
    )
    sheet.add(ParagraphStyle("CoverLine", parent=base, fontSize=14, leading=20))
    sheet.add(ParagraphStyle("CoverSmall", parent=base, fontSize=10.5, leading=15, textColor=MUTED))
    return sheet


def text(value: object, style: ParagraphStyle) -> Paragraph:
    """Any text, user-typed or not, as a paragraph that prints it literally (and shaped, when
    its script needs it: shaping every paragraph would slow the whole plan down)."""
    words = str(value)
    if fonts.needs_shaping(words):
        style = _shaped(style)
    return Paragraph(fonts.markup(words, style.fontName), style)


_shaped_styles: dict[int, ParagraphStyle] = {}


def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    found = _shaped_styles.get(id(style))
    if found is None or found.parent is not style:
        found = ParagraphStyle(f"{style.name}Shaped", parent=style, shaping=1)
        _shaped_styles[id(style)] = found
    return found


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    sheet: StyleSheet1,
    *,
    right: Sequence[int] = (),
    bold_last: bool = False,
) -> Table:
    """A table whose header repeats on every page it runs onto; widths are in points; columns
    listed in right hold figures and align right."""

    def cell(value: object, column: int, row: int) -> Flowable | str:
        if isinstance(value, Flowable):
            return value
        bold = bold_last and row == len(rows) - 1
        name = ("CellBold" if bold else "Cell") + ("Right" if column in right else "")
        words = "" if value is None else str(value)
        if column in right and _fits_plain(words, sheet[name], widths[column] - 8):
            return words  # a figure: drawn as a string, far quicker than a paragraph
        return text(words, sheet[name])

    data: list[list[Any]] = [
        [
            text(h, sheet["CellHeadRight" if i in right else "CellHead"])
            for i, h in enumerate(header)
        ]
    ]
    data += [[cell(v, c, r) for c, v in enumerate(row)] for r, row in enumerate(rows)]
    made = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, GRID),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
    body = sheet["Cell"]
    commands += [
        ("FONTNAME", (0, 1), (-1, -1), body.fontName),
        ("FONTSIZE", (0, 1), (-1, -1), body.fontSize),
        ("LEADING", (0, 1), (-1, -1), body.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), body.textColor),
    ]
    commands += [("ALIGN", (column, 1), (column, -1), "RIGHT") for column in right]
    if bold_last and rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
        commands.append(("FONTNAME", (0, -1), (-1, -1), sheet["CellBold"].fontName))
    made.setStyle(TableStyle(commands))
    return made


def _fits_plain(words: str, style: ParagraphStyle, room: float) -> bool:
    """One line in the cell's own font, with nothing the font lacks and no line breaks."""
    if "\n" in words or any(
        name != style.fontName for name, _ in fonts.runs(words, style.fontName)
    ):
        return False
    return stringWidth(words, style.fontName, style.fontSize) <= room


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    value: str,
    *,
    size: float,
    bold: bool = False,
    align: str = "left",
    color: Any = INK,
) -> None:
    """User text drawn straight on the page (header, footer), each run in a font that has it."""
    main = fonts.BOLD if bold else fonts.REGULAR
    pieces = fonts.runs(value, main)
    width = sum(stringWidth(piece, name, size) for name, piece in pieces)
    if align == "right":
        x -= width
    canvas.saveState()
    canvas.setFillColor(color)
    if fonts.needs_shaping(value):
        for name, piece in pieces:  # each run shaped on its own
            canvas.setFont(name, size)
            canvas.drawString(x, y, piece, shaping=fonts.needs_shaping(piece))
            x += stringWidth(piece, name, size)
    else:
        # One text object for all runs, so a reader copies (and a search finds) the line whole.
        line = canvas.beginText(x, y)
        for name, piece in pieces:
            line.setFont(name, size)
            line.textOut(piece)
        canvas.drawText(line)
    canvas.restoreState()


def fit(value: str, size: float, room: float, *, bold: bool = False) -> str:
    """Shorten a line with an ellipsis until it fits in room points (a long company name)."""
    main = fonts.BOLD if bold else fonts.REGULAR

    def width(candidate: str) -> float:
        return sum(stringWidth(piece, name, size) for name, piece in fonts.runs(candidate, main))

    if width(value) <= room:
        return value
    while value and width(value + "…") > room:
        value = value[:-1]
    return value.rstrip() + "…"


class NumberedCanvas(Canvas):
    """Holds every page back until the document ends, so each footer can say 'page x of y'."""

    def __init__(self, *args: Any, footer: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        y = MARGIN * 0.55
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 10, width - MARGIN, y + 10)
        self.restoreState()
        room = width - 2 * MARGIN - 80
        draw_text(self, MARGIN, y, fit(self._footer, 7.5, room), size=7.5, color=MUTED)
        draw_text(
            self,
            width - MARGIN,
            y,
            f"Page {number} of {total}",
            size=7.5,
            align="right",
            color=MUTED,
        )
