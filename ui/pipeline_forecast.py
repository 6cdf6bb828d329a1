"""The forecast strip: weighted value of open deals by expected close month, as painted bars."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.pipeline import ForecastBucket
from ui.pipeline_board import compact, money, ordered_currencies

BAR = QColor("#2f6f9a")
OVERDUE = QColor("#c0564e")
UNDATED = QColor("#9aa8b2")
INK = QColor("#1f3a4d")
MUTED = QColor("#5b6b76")


def bucket_label(bucket: ForecastBucket) -> str:
    if bucket.key == "overdue":
        return "Overdue"
    if bucket.key == "later":
        return "Later"
    if bucket.key == "none":
        return "No date"
    assert bucket.first_day is not None
    return f"{bucket.first_day:%b %Y}"


def bucket_words(bucket: ForecastBucket, currency: str) -> str:
    """A bucket in a sentence, every currency in it."""
    if bucket.key == "overdue":
        when = "with a close date in a month already past (time to update them)"
    elif bucket.key == "later":
        assert bucket.first_day is not None
        when = f"expected to close from {bucket.first_day:%B %Y} on"
    elif bucket.key == "none":
        when = "without an expected close date"
    else:
        assert bucket.first_day is not None
        when = f"expected to close in {bucket.first_day:%B %Y}"
    amounts = [
        money(bucket.weighted.get(code, Decimal(0)), code)
        for code in ordered_currencies(bucket.weighted, first=currency)
    ]
    deals = f"{bucket.count:,} open deal{'s' if bucket.count != 1 else ''}"
    return f"{deals} {when}: weighted {' + '.join(amounts)}"


class ForecastBars(QWidget):
    """One bar per bucket, in the company currency; hover a bar for its exact figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buckets: list[ForecastBucket] = []
        self.currency = "EUR"
        self.setMinimumHeight(96)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(), self.sizePolicy().Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(600, 104)

    def show_forecast(self, buckets: list[ForecastBucket], currency: str) -> None:
        self.buckets = buckets
        self.currency = currency
        self.setAccessibleDescription("; ".join(bucket_words(b, currency) for b in buckets))
        self.update()

    def _slot(self, index: int) -> QRect:
        width = self.width() / max(len(self.buckets), 1)
        return QRect(round(index * width), 0, round(width), self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.buckets:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 0.5, 7))
        metrics = QFontMetrics(small)
        line = metrics.height()
        amounts = [b.weighted.get(self.currency, Decimal(0)) for b in self.buckets]
        biggest = max(amounts) or Decimal(1)
        room = self.height() - 2 * line - 8  # a value line above the bar, a month line below
        painter.setFont(small)
        for index, (bucket, amount) in enumerate(zip(self.buckets, amounts, strict=True)):
            slot = self._slot(index).adjusted(6, 0, -6, 0)
            height = int(room * float(amount / biggest)) if amount > 0 else 0
            bottom = self.height() - line - 4
            colour = {"overdue": OVERDUE, "none": UNDATED}.get(bucket.key, BAR)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            bar = QRect(
                slot.left() + slot.width() // 6, bottom - height, slot.width() * 2 // 3, height
            )
            painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(QColor("#d8e1e7"))
            painter.drawLine(slot.left(), bottom, slot.right(), bottom)
            painter.setPen(INK)
            value_box = QRect(slot.left(), bottom - height - line - 2, slot.width(), line)
            text = compact(amount) if amount > 0 else "—"
            painter.drawText(
                value_box,
                int(Qt.AlignmentFlag.AlignCenter),
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, slot.width()),
            )
            painter.setPen(MUTED)
            label_box = QRect(slot.left(), bottom + 2, slot.width(), line)
            painter.drawText(
                label_box,
                int(Qt.AlignmentFlag.AlignCenter),
                metrics.elidedText(bucket_label(bucket), Qt.TextElideMode.ElideRight, slot.width()),
            )
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.buckets:
            assert isinstance(event, QHelpEvent)
            for index, bucket in enumerate(self.buckets):
                if self._slot(index).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), bucket_words(bucket, self.currency), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


class ForecastStrip(QWidget):
    """The bars with a caption that says what they show, and what they leave out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setObjectName("forecastCaption")
        self.caption.setStyleSheet("color: #1f3a4d; font-weight: 600;")
        self.note = QLabel()
        self.note.setObjectName("promise")
        self.note.setWordWrap(True)
        self.note.hide()
        self.bars = ForecastBars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.bars)
        layout.addWidget(self.note)

    def show_forecast(self, buckets: list[ForecastBucket], currency: str) -> None:
        self.caption.setText(
            f"Forecast — weighted value of open deals by expected close month, in {currency}"
        )
        self.bars.show_forecast(buckets, currency)
        others: dict[str, Decimal] = {}
        for bucket in buckets:
            for code, amount in bucket.weighted.items():
                if code != currency:
                    others[code] = others.get(code, Decimal(0)) + amount
        self.note.setVisible(bool(others))
        if others:
            listed = ", ".join(money(amount, code) for code, amount in sorted(others.items()))
            self.note.setText(
                f"Not in the bars: deals in other currencies, weighted {listed}. Tandem keeps no "
                "exchange rates, so it never adds different currencies together."
            )

    def figures(self) -> list[tuple[str, Any]]:
        """(label, weighted value in the company currency) per bar, as painted."""
        return [
            (bucket_label(b), b.weighted.get(self.bars.currency, Decimal(0)))
            for b in self.bars.buckets
        ]
