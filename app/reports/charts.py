"""Charts for the printed plan, drawn with ReportLab's own graphics (vector, no images)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.fonts import REGULAR, single_font

INK = colors.HexColor("#1f3a4d")
MUTED = colors.HexColor("#5b6b76")
GRID = colors.HexColor("#d8e1e7")
PALETTE = (
    colors.HexColor("#2f6f9a"),
    colors.HexColor("#e08a3c"),
    colors.HexColor("#6aa36f"),
    colors.HexColor("#b3261e"),
    colors.HexColor("#8e6bb5"),
)
Series = tuple[str, Sequence[float]]
LABEL_SIZE = 7.5


def _shorten(label: str, font: str, room: float) -> str:
    if stringWidth(label, font, LABEL_SIZE) <= room:
        return label
    while label and stringWidth(label + "…", font, LABEL_SIZE) > room:
        label = label[:-1]
    return label.rstrip() + "…"


def _short(value: float) -> str:
    """An axis or bar label: 12k, 3.4M."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{value / 1000:.0f}k"
    if size >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:,.0f}"


def _legend(drawing: Drawing, series: Sequence[Any], x: float, y: float) -> None:
    """A one-line legend starting at x (several series only)."""
    if len(series) < 2:
        return
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.alignment = "right"  # the name to the right of its swatch
    legend.columnMaximum = 1  # one entry per column: a single row
    legend.variColumn = 1  # each entry as wide as its own name
    legend.deltax = None
    legend.autoXPadding = 14
    legend.dx = legend.dy = 7
    legend.boxAnchor = "nw"  # hangs from the top edge, above the plot
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], name) for i, (name, _values) in enumerate(series)
    ]
    drawing.add(legend)


def _top(series: Sequence[Series]) -> float:
    return max([value for _name, values in series for value in values] + [1.0])


def bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    height: float,
    horizontal: bool = False,
    label: Callable[[float], str] = _short,
) -> Drawing:
    """Grouped bars, one group per category, with the value printed at each bar's end."""
    drawing = Drawing(width, height)
    legend_room = 16 if len(series) > 1 else 0  # at the top
    chart: HorizontalBarChart | VerticalBarChart
    if horizontal:
        chart = HorizontalBarChart()
        font = single_font(" ".join(categories))
        longest = max((stringWidth(c, font, LABEL_SIZE) for c in categories), default=20)
        chart.x = min(12 + longest, width * 0.45)
        # Labels longer than the room left of the bars are shortened, never drawn over the page.
        categories = [_shorten(c, font, chart.x - 10) for c in categories]
        chart.y = 6
        chart.width = width - chart.x - 46
        chart.height = height - chart.y - 4 - legend_room
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    else:
        chart = VerticalBarChart()
        chart.x, chart.y = 36, 18
        chart.width = width - chart.x - 8
        chart.height = height - chart.y - 14 - legend_room
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -3
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 2
        chart.valueAxis.labels.fontName = REGULAR
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = _short
        chart.valueAxis.gridStrokeColor = GRID
        chart.valueAxis.visibleGrid = True
    # A horizontal chart draws its first category at the bottom; reversed, it reads like the table.
    order = list(reversed(range(len(categories)))) if horizontal else list(range(len(categories)))
    chart.data = [[values[i] for i in order] for _name, values in series] or [[0]]
    chart.categoryAxis.categoryNames = [categories[i] for i in order]
    chart.categoryAxis.labels.fontName = single_font(" ".join(categories))
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top(series) * 1.12
    chart.valueAxis.visible = not horizontal
    chart.valueAxis.strokeColor = GRID
    chart.barLabelFormat = label
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = MUTED
    chart.groupSpacing = 6
    chart.barSpacing = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    _legend(drawing, series, chart.x, height)
    return drawing


def lines(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: float,
    height: float,
    top: float = 100,
    unit: str = "%",
) -> Drawing:
    """Lines over months (compliance in percent, say); a missing value leaves a gap."""
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 32, 18
    chart.width, chart.height = width - chart.x - 10, height - chart.y - 10 - 16
    chart.data = [[value for value in values] for _name, values in series] or [[0]]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = top / 4
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{value:.0f}{unit}"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.strokeColor = GRID
    for index, (_name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        marker = makeMarker("FilledCircle", size=3.5, fillColor=colour, strokeColor=colour)
        chart.lines[index].symbol = marker
        chart.lines[index].strokeWidth = 1.6
        # Missing months are skipped and the line joins the rest; a line needs two points, so a
        # series with fewer shows its point alone.
        known = sum(value is not None for value in values)
        chart.lines[index].strokeColor = colour if known >= 2 else None
    drawing.add(chart)
    _legend(drawing, series, chart.x, height)
    return drawing


def no_data(width: float, height: float, text: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height / 2, text, fontName=REGULAR, fontSize=8.5, fillColor=MUTED,
                       textAnchor="middle"))  # fmt: skip
    return drawing
