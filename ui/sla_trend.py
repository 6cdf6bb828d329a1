"""The 12-month SLA trend: how often each side kept its promises, month by month, as bars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.sla import Figure, MonthFigures
from ui.sla_scorecard import CountsDelegate, figure_item, set_header

MARKETING = QColor("#8a5cb8")
SALES = QColor("#2f6f9a")
GRID = QColor("#e3e9ed")
INK = QColor("#1f3a4d")
MUTED = QColor("#5b6b76")
SIDE_KINDS = {
    "marketing": ("lead_volume", "lead_acceptance"),
    "sales": ("first_response", "decision", "follow_up"),
}
NAMES = {
    "lead_volume": "lead volume",
    "lead_acceptance": "lead acceptance",
    "first_response": "first response",
    "decision": "decision",
    "follow_up": "follow-up",
}


@dataclass(frozen=True)
class SideMonth:
    """One side's promises in one month, summed over its commitments."""

    met: int
    breached: int
    pending: int

    @property
    def compliance(self) -> float | None:
        judged = self.met + self.breached
        return 100 * self.met / judged if judged else None


def side_month(figures: dict[str, Figure], side: str) -> SideMonth:
    kinds = [figures[kind] for kind in SIDE_KINDS[side] if kind in figures]
    return SideMonth(
        sum(f.met for f in kinds), sum(f.breached for f in kinds), sum(f.pending for f in kinds)
    )


def month_title(month: str, long: bool = True) -> str:
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    return f"{first:%B %Y}" if long else f"{first:%b}"


def month_words(month: MonthFigures) -> str:
    """A month of the trend in sentences, for the tooltip and the screen reader."""
    lines = [month_title(month.month)]
    marketing = side_month(month.figures, "marketing")
    verdicts = []
    for kind in SIDE_KINDS["marketing"]:
        figure = month.figures[kind]
        if figure.met:
            verdicts.append(f"{NAMES[kind]} met")
        elif figure.breached:
            verdicts.append(f"{NAMES[kind]} missed")
        elif figure.pending:
            verdicts.append(f"{NAMES[kind]} not judged until the month ends")
    judged = marketing.met + marketing.breached
    if judged:
        lines.append(
            f"Marketing kept {marketing.met} of {judged} promise{'s' if judged != 1 else ''}: "
            + ", ".join(verdicts)
        )
    else:
        lines.append("Marketing: nothing judged yet" + (f" ({verdicts[0]})" if verdicts else ""))
    sales = side_month(month.figures, "sales")
    judged = sales.met + sales.breached
    if judged:
        parts = [
            f"{NAMES[kind]} {month.figures[kind].met:,} of "
            f"{month.figures[kind].met + month.figures[kind].breached:,}"
            for kind in SIDE_KINDS["sales"]
            if month.figures[kind].met + month.figures[kind].breached
        ]
        lines.append(
            f"Sales kept {sales.met:,} of {judged:,} clocks in time "
            f"({sales.compliance:.0f}%): " + ", ".join(parts)
        )
    else:
        lines.append("Sales: no clock judged yet")
    if sales.pending:
        lines.append(f"{sales.pending:,} clocks still running")
    return "\n".join(lines)


class TrendBars(QWidget):
    """Two bars a month (marketing, sales): the share of judged promises kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[MonthFigures] = []
        self.setMinimumHeight(150)
        self.setMaximumHeight(230)

    def sizeHint(self) -> QSize:
        return QSize(720, 210)

    def show_trend(self, months: list[MonthFigures]) -> None:
        self.months = months
        self.setAccessibleDescription("\n\n".join(month_words(m) for m in months))
        self.update()

    def _plot(self) -> QRect:
        metrics = QFontMetrics(self._small())
        axis = metrics.horizontalAdvance("100%") + 6
        line = metrics.height()
        return self.rect().adjusted(axis, line + 4, -4, -line - 6)

    def _slot(self, index: int) -> QRect:
        plot = self._plot()
        width = plot.width() / max(len(self.months), 1)
        return QRect(round(plot.left() + index * width), plot.top(), round(width), plot.height())

    def _small(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        return small

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = self._small()
        painter.setFont(small)
        metrics = QFontMetrics(small)
        plot = self._plot()
        for share in (0, 50, 100):
            y = plot.bottom() - round(plot.height() * share / 100)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(MUTED)
            box = QRect(0, y - metrics.height() // 2, plot.left() - 4, metrics.height())
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight), f"{share}%")
        for index, month in enumerate(self.months):
            slot = self._slot(index)
            bar_width = max(4, min(22, slot.width() // 3))
            middle = slot.center().x()
            for offset, side, colour in (
                (-bar_width - 1, "marketing", MARKETING),
                (1, "sales", SALES),
            ):
                kept = side_month(month.figures, side).compliance
                x = middle + offset
                if kept is None:
                    painter.setPen(MUTED)
                    painter.drawText(
                        QRect(x, plot.bottom() - metrics.height(), bar_width, metrics.height()),
                        int(Qt.AlignmentFlag.AlignCenter),
                        "–",
                    )
                    continue
                height = max(2, round(plot.height() * kept / 100))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRect(QRect(x, plot.bottom() - height + 1, bar_width, height))
                if slot.width() >= 2 * metrics.horizontalAdvance("100") + 4:
                    painter.setPen(INK)
                    label = QRect(
                        x - 8,
                        plot.bottom() - height - metrics.height(),
                        bar_width + 16,
                        metrics.height(),
                    )
                    painter.drawText(label, int(Qt.AlignmentFlag.AlignCenter), f"{kept:.0f}")
            painter.setPen(MUTED)
            name = month_title(month.month, long=False)
            if index == 0 or month.month.endswith("-01"):
                name += f" {month.month[2:4]}"
            painter.drawText(
                QRect(slot.left(), plot.bottom() + 4, slot.width(), metrics.height()),
                int(Qt.AlignmentFlag.AlignCenter),
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, slot.width()),
            )
        painter.end()

    def month_at(self, point: QPoint) -> MonthFigures | None:
        for index, month in enumerate(self.months):
            if self._slot(index).adjusted(0, -40, 0, 40).contains(point):
                return month
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            month = self.month_at(event.pos())
            if month is not None:
                QToolTip.showText(event.globalPos(), month_words(month), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


def _legend(colour: QColor, text: str) -> QLabel:
    label = QLabel(f"<span style='color:{colour.name()}'>■</span> {text}")
    label.setStyleSheet("color: #5b6b76;")
    return label


TABLE_COLUMNS = (
    ("Month", None),
    ("Leads\nhanded over", "lead_volume"),
    ("Accepted\nby sales", "lead_acceptance"),
    ("First response\nin time", "first_response"),
    ("Decision\nin time", "decision"),
    ("Follow-up\nkept", "follow_up"),
    ("Revenue\nwon", "revenue"),
)


class TrendChart(QWidget):
    """The bars with a caption and a legend that say what they show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        caption = QLabel("<b>The last 12 months</b> — share of promises kept (judged ones only)")
        legend = QHBoxLayout()
        legend.addWidget(caption)
        legend.addStretch(1)
        legend.addWidget(_legend(MARKETING, "Marketing: lead volume and acceptance"))
        legend.addWidget(_legend(SALES, "Sales: clocks answered in time"))
        self.bars = TrendBars()
        note = QLabel(
            "A dash means nothing was judged yet: once-a-month promises are judged when the "
            "month ends. The figures, newest month first:"
        )
        note.setStyleSheet("color: #5b6b76;")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setObjectName("trendTable")
        self.table.setItemDelegate(CountsDelegate(self.table))
        self.table.setHorizontalHeaderLabels([header for header, _kind in TABLE_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 8, 0)
        layout.setSpacing(4)
        layout.addLayout(legend)
        layout.addWidget(self.bars)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

    def show_trend(self, months: list[MonthFigures], currency: str = "") -> None:
        self.bars.show_trend(months)
        if currency:
            set_header(self.table, len(TABLE_COLUMNS) - 1, f"Revenue won\n({currency})")
        self.table.setRowCount(len(months))
        for row, month in enumerate(reversed(months)):
            for column, (_header, kind) in enumerate(TABLE_COLUMNS):
                if kind is None:
                    item = QTableWidgetItem(month_title(month.month))
                else:
                    item = figure_item(month.figures[kind])
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def figures(self) -> list[tuple[str, float | None, float | None]]:
        """(month, marketing %, sales %) per month, as painted."""
        return [
            (
                m.month,
                side_month(m.figures, "marketing").compliance,
                side_month(m.figures, "sales").compliance,
            )
            for m in self.bars.months
        ]
