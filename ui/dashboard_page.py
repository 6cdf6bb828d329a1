"""The dashboard: this month so far against its targets, the funnel, pipeline, SLA and to-dos."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import math
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app import company, forecast, funnel, metrics, my_day, overview, plans, sla
from app.clock import Clock
from app.metrics import Period
from ui.at_risk_list import AtRiskList
from ui.jobs import Job
from ui.pipeline_board import compact, money
from ui.sla_trend import side_month

GOOD = QColor("#2e7d4f")
WARN = QColor("#b7791f")
BAD = QColor("#c0564e")
NEUTRAL = QColor("#9aa8b2")
BAR = QColor("#2f6f9a")
BAR_SOFT = QColor("#8fb5cf")
TARGET = QColor("#1f3a4d")
GRID = QColor("#e3e9ed")
INK = QColor("#1f3a4d")
MUTED = QColor("#5b6b76")
TREND_MONTHS = 12
WORKING = "Working out this month's figures…"
KPI_CAPTIONS = {
    "revenue": "revenue won",
    "deals_won": "deals won",
    "qualified_leads": "qualified leads handed over to sales",
    "budget": "spent on marketing",
}
STAGE_WORDS = {
    "qualification": "Qualification",
    "proposal": "Proposal",
    "negotiation": "Negotiation",
}
SLA_SIDES = (
    ("marketing", "Marketing's promises to sales", ("lead_volume", "lead_acceptance")),
    ("sales", "Sales' promises to marketing", ("first_response", "decision", "follow_up")),
    ("shared", "Shared", ("revenue",)),
)
SLA_WORDS = {
    "lead_volume": "Enough qualified leads handed over",
    "lead_acceptance": "Enough of them accepted by sales",
    "first_response": "First contact in time",
    "decision": "Accept or reject in time",
    "follow_up": "Follow-up attempts made",
    "revenue": "Revenue target reached",
}


# --- what is read in the background --------------------------------------------------------------


@dataclass(frozen=True)
class TrendMonth:
    month: str
    won: Decimal
    target: Decimal | None


@dataclass(frozen=True)
class DashboardFigures:
    """Everything but the SLA scorecard (which can take a while), read in one Job."""

    month: str
    today: dt.date
    currency: str
    glance: overview.Glance
    team: forecast.Quota
    funnel: funnel.Funnel
    stages: list[forecast.StageValue]
    trend: list[TrendMonth]
    waiting: list[my_day.Waiting]

    @property
    def month_gone(self) -> float:
        """The share of the month behind us, counting today: where the figures should be."""
        days = calendar.monthrange(self.today.year, self.today.month)[1]
        return self.today.day / days


def read_figures(clock: Clock) -> DashboardFigures:
    """Runs in a Job. The same functions as the printed plan (app/reports/plan_data.py)."""
    today = company.today(clock)
    month = metrics.current_month(clock)
    team, _people, _channels = forecast.attainment(month, today=today)
    months = [metrics.add_months(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    won = forecast.revenue_won(months)
    trend = [TrendMonth(m, won[m], plans.targets(m).get((None, "revenue", None))) for m in months]
    return DashboardFigures(
        month=month,
        today=today,
        currency=company.load().currency,
        glance=overview.glance(),
        team=team,
        funnel=funnel.funnel(Period.of(month), today=today),
        stages=forecast.by_stage(),
        trend=trend,
        waiting=my_day.waiting_for_first_contact(None),
    )


def read_scorecard(clock: Clock) -> sla.Scorecard:
    """Runs in a Job: the first read on a big database brings every SLA clock up to date."""
    return sla.scorecard(metrics.current_month(clock), now=clock.now())


# --- words ---------------------------------------------------------------------------------------


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def amount_text(metric: str, value: Decimal, currency: str) -> str:
    if metric in ("revenue", "budget"):
        return money(value, currency)
    return f"{value:,.0f}"


def verdict(metric: str, percent: float | None, month_gone: float) -> tuple[QColor, str]:
    """The tile's colour and its plain-words reading, judged against the days gone by."""
    if percent is None:
        return NEUTRAL, "No target set for this month (set one on the Plans page)"
    pace = 100 * month_gone
    if metric == "budget":
        if percent > 100:
            return BAD, "Over budget"
        if percent > pace + 10:
            return WARN, f"Spending ahead of the calendar ({pace:.0f}% of the month gone)"
        return GOOD, "Within budget"
    if percent >= 100:
        return GOOD, "Target reached"
    if percent >= pace:
        return GOOD, f"On track ({pace:.0f}% of the month gone)"
    if percent >= 0.75 * pace:
        return WARN, f"A little behind ({pace:.0f}% of the month gone)"
    return BAD, f"Behind ({pace:.0f}% of the month gone)"


# --- tiles ---------------------------------------------------------------------------------------


class Tile(QLabel):
    """A figure in large type over a caption, and optionally how it stands against its target."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.caption = caption
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumSize(170, 118)
        self.setText(f"<div style='color:#5b6b76'>{WORKING}</div>")

    def show_value(self, value: str, *notes: tuple[str, QColor | None]) -> None:
        lines = [
            f"<div style='font-size:20pt;font-weight:600'>{html.escape(value)}</div>",
            f"<div>{html.escape(self.caption)}</div>",
        ]
        for text, colour in notes:
            style = f"color:{colour.name()};font-weight:600" if colour else "color:#5b6b76"
            lines.append(f"<div style='{style}'>{html.escape(text)}</div>")
        self.setText("".join(lines))

    def show_colour(self, colour: QColor) -> None:
        self.setStyleSheet(f"QLabel#tile {{ border-top: 5px solid {colour.name()}; }}")


# --- the funnel ----------------------------------------------------------------------------------


class FunnelBars(QWidget):
    """One bar a step, longest at the top; the share that went on from the step before at right.
    Bar lengths follow a log scale: impressions run to tens of thousands, deals to a handful."""

    ROW = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: list[funnel.Step] = []
        self.setMinimumHeight(self.ROW * (len(funnel.STEPS) + 1))

    def sizeHint(self) -> QSize:
        return QSize(560, self.ROW * (len(funnel.STEPS) + 1) + 4)

    def show_funnel(self, flow: funnel.Funnel) -> None:
        self.steps = flow.steps
        self.setAccessibleDescription("; ".join(step_words(step) for step in flow.steps))
        self.update()

    def texts(self) -> list[tuple[str, str, str]]:
        """(step, count, share from the step before) as painted, top to bottom."""
        return [
            (step.label, f"{step.count:,}", conversion_text(step.conversion) if index else "")
            for index, step in enumerate(self.steps)
        ]

    def _columns(self) -> tuple[int, int, int]:
        metrics_ = QFontMetrics(self.font())
        label = max(metrics_.horizontalAdvance(s[1]) for s in funnel.STEPS) + 12
        share = metrics_.horizontalAdvance("Went on from the step above") + 12
        return label, share, self.width() - label - share

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics_ = QFontMetrics(self.font())
        label_width, share_width, bar_room = self._columns()
        painter.setPen(MUTED)
        painter.drawText(
            QRect(label_width + bar_room, 0, share_width, self.ROW),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            "Went on from the step above",
        )
        top = max((step.count for step in self.steps), default=0)
        scale = math.log10(top + 1) or 1
        count_room = metrics_.horizontalAdvance("000,000,000") + 8
        for index, (step, (label, count, share)) in enumerate(
            zip(self.steps, self.texts(), strict=True)
        ):
            y = (index + 1) * self.ROW
            painter.setPen(INK)
            painter.drawText(
                QRect(0, y, label_width - 8, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                label,
            )
            length = round((bar_room - count_room) * math.log10(step.count + 1) / scale)
            if step.count:
                length = max(length, 3)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR if step.stage in ("desire", "action") else BAR_SOFT)
                painter.drawRoundedRect(QRect(label_width, y + 4, length, self.ROW - 8), 3, 3)
            painter.setPen(INK)
            painter.drawText(
                QRect(label_width + length + 6, y, count_room, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                count,
            )
            painter.setPen(MUTED)
            painter.drawText(
                QRect(label_width + bar_room, y, share_width, self.ROW),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                share,
            )
        painter.end()


def conversion_text(conversion: float | None) -> str:
    return "↓ –" if conversion is None else f"↓ {conversion:.1f}%"


def step_words(step: funnel.Step) -> str:
    went_on = "" if step.conversion is None else f" ({step.conversion:.1f}% of the step above)"
    return f"{step.label}: {step.count:,}{went_on}"


# --- the 12-month revenue trend ------------------------------------------------------------------


def month_short(month: str) -> str:
    return f"{metrics.first_day(month):%b}"


class RevenueTrendBars(QWidget):
    """Revenue won each month as a bar, the month's revenue target as a dark line across it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[TrendMonth] = []
        self.currency = ""
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(560, 200)

    def show_trend(self, months: list[TrendMonth], currency: str) -> None:
        self.months = months
        self.currency = currency
        self.setAccessibleDescription("; ".join(self.month_words(m) for m in months))
        self.update()

    def month_words(self, month: TrendMonth) -> str:
        words = f"{metrics.month_name(month.month)}: won {money(month.won, self.currency)}"
        if month.target:
            share = 100 * month.won / month.target
            words += f" of a {money(month.target, self.currency)} target ({share:.0f}%)"
        else:
            words += ", no revenue target set"
        return words

    def _small(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        return small

    def _plot(self) -> QRect:
        line = QFontMetrics(self._small()).height()
        return self.rect().adjusted(4, line + 6, -4, -line - 6)

    def _slot(self, index: int) -> QRect:
        plot = self._plot()
        width = plot.width() / max(len(self.months), 1)
        return QRect(round(plot.left() + index * width), plot.top(), round(width), plot.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.months:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = self._small()
        painter.setFont(small)
        line = QFontMetrics(small).height()
        plot = self._plot()
        top = max(max(m.won for m in self.months), max(m.target or 0 for m in self.months))
        top = top or Decimal(1)
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        for index, month in enumerate(self.months):
            slot = self._slot(index)
            bar = max(6, min(40, round(slot.width() * 0.6)))
            x = slot.center().x() - bar // 2
            height = round(plot.height() * float(month.won / top))
            reached = month.target is not None and month.won >= month.target
            current = index == len(self.months) - 1
            colour = GOOD if reached else (BAR_SOFT if current else BAR)
            if height:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRect(QRect(x, plot.bottom() - height + 1, bar, height))
            if month.target:
                y = plot.bottom() - round(plot.height() * float(month.target / top))
                painter.setPen(QPen(TARGET, 2))
                painter.drawLine(x - 4, y, x + bar + 4, y)
            painter.setPen(INK)
            label_y = plot.bottom() - height - line - 1
            if month.target:
                label_y = min(
                    label_y,
                    plot.bottom() - round(plot.height() * float(month.target / top)) - line - 1,
                )
            painter.drawText(
                QRect(slot.left(), max(0, label_y), slot.width(), line),
                int(Qt.AlignmentFlag.AlignCenter),
                compact(month.won),
            )
            painter.setPen(MUTED)
            name = month_short(month.month)
            if index == 0 or month.month.endswith("-01"):
                name += f" {month.month[2:4]}"
            if current:
                name += " so far"
            painter.drawText(
                QRect(slot.left() - 10, plot.bottom() + 4, slot.width() + 20, line),
                int(Qt.AlignmentFlag.AlignCenter),
                name,
            )
        painter.end()

    def month_at(self, point: QPoint) -> TrendMonth | None:
        for index, month in enumerate(self.months):
            if self._slot(index).adjusted(0, -30, 0, 30).contains(point):
                return month
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            month = self.month_at(event.pos())
            if month is not None:
                QToolTip.showText(event.globalPos(), self.month_words(month), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


# --- the page ------------------------------------------------------------------------------------


def _section(title: str, note: str = "") -> tuple[QFrame, QVBoxLayout]:
    box = QFrame()
    box.setObjectName("dashboardSection")
    box.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(12, 8, 12, 10)
    layout.setSpacing(4)
    heading = QLabel(f"<b>{html.escape(title)}</b>")
    layout.addWidget(heading)
    if note:
        hint = QLabel(note)
        hint.setObjectName("promise")
        hint.setWordWrap(True)
        layout.addWidget(hint)
    return box, layout


def _cell(text: str = "", *, right: bool = False, muted: bool = False) -> QLabel:
    label = QLabel(text)
    if right:
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if muted:
        label.setStyleSheet("color: #5b6b76;")
    return label


class DashboardPage(QWidget):
    """At a glance: the month so far against its targets, the funnel, the pipeline by stage,
    SLA compliance for both sides, twelve months of revenue, and what needs attention today.

    Figures load in the background; the SLA scorecard in a Job of its own, since the first read
    on a big database brings every SLA clock up to date.
    Signals: failed(exception) when figures could not be read; open_lead(lead_id)."""

    failed = Signal(object)
    open_lead = Signal(int)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._job: Job | None = None
        self._sla_job: Job | None = None
        self.at_risk = AtRiskList(clock)
        self.at_risk.failed.connect(self.failed)
        self.at_risk.open_lead.connect(self.open_lead)
        self.at_risk.setMinimumHeight(230)

        self.title = QLabel("Dashboard")
        self.title.setObjectName("pageTitle")
        self.tiles: dict[str, Tile] = {
            key: Tile(caption)
            for key, caption in (*KPI_CAPTIONS.items(), ("leads", "leads in all"))
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)

        self.funnel = FunnelBars()
        funnel_box, funnel_layout = _section("The funnel this month, from reach to won")
        funnel_layout.addWidget(self.funnel)

        self.stage_cells: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        self.currency_note = _cell(muted=True)
        stages_box, stages_layout = _section(
            "Open deals by stage",
            "Weighted: each deal's value times its chance of winning, what to count on.",
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for column, header in enumerate(("Stage", "Deals", "Value", "Weighted")):
            grid.addWidget(_cell(f"<b>{header}</b>", right=column > 0), 0, column)
        for row, stage in enumerate([*STAGE_WORDS, "total"], start=1):
            grid.addWidget(_cell(STAGE_WORDS.get(stage, "<b>All open deals</b>")), row, 0)
            cells = (_cell(right=True), _cell(right=True), _cell(right=True))
            for column, cell in enumerate(cells, start=1):
                grid.addWidget(cell, row, column)
            self.stage_cells[stage] = cells
        stages_layout.addLayout(grid)
        stages_layout.addStretch(1)

        self.trend = RevenueTrendBars()
        trend_box, trend_layout = _section(
            "Revenue won, the last 12 months",
            "Bars: revenue won (green where the target was reached). Dark line: the month's "
            "revenue target. Hover a bar for the exact figures.",
        )
        trend_layout.addWidget(self.trend)

        self.sla_status = QLabel(WORKING)
        self.sla_status.setObjectName("promise")
        self.sla_status.setWordWrap(True)
        self.sla_rows: dict[str, QLabel] = {}
        self.sla_sides: dict[str, QLabel] = {}
        sla_box, sla_layout = _section(
            "Service agreement this month",
            "How often each side kept its promises to the other (only promises already judged).",
        )
        sla_layout.addWidget(self.sla_status)
        sla_grid = QGridLayout()
        sla_grid.setHorizontalSpacing(10)
        sla_grid.setVerticalSpacing(2)
        row = 0
        for side, title, kinds in SLA_SIDES:
            self.sla_sides[side] = _cell()
            sla_grid.addWidget(_cell(f"<b>{title}</b>"), row, 0)
            sla_grid.addWidget(self.sla_sides[side], row, 1)
            row += 1
            for kind in kinds:
                self.sla_rows[kind] = _cell(right=True)
                sla_grid.addWidget(_cell("    " + SLA_WORDS[kind]), row, 0)
                sla_grid.addWidget(self.sla_rows[kind], row, 1)
                row += 1
        sla_grid.setColumnStretch(0, 1)
        sla_layout.addLayout(sla_grid)
        sla_layout.addStretch(1)

        self.waiting = QLabel(WORKING)
        self.waiting.setWordWrap(True)
        attention_box, attention_layout = _section("What needs attention today")
        attention_layout.addWidget(self.waiting)
        attention_layout.addWidget(self.at_risk)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 8, 8)
        layout.addWidget(self.title)
        layout.addLayout(tiles)
        for left, right in ((funnel_box, stages_box), (trend_box, sla_box)):
            row_layout = QHBoxLayout()
            row_layout.addWidget(left, 3)
            row_layout.addWidget(right, 2)
            layout.addLayout(row_layout)
        layout.addWidget(attention_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.at_risk.refresh()
        clock = self.clock  # the jobs hold the clock, not the page
        if self._job is None:
            self._job = Job(lambda _progress: read_figures(clock), self)
            self._job.succeeded.connect(self._on_job_succeeded)
            self._job.failed.connect(self.failed)
            self._job.finished.connect(self._on_job_finished)
            self._job.start()
        if self._sla_job is None:
            self._sla_job = Job(lambda _progress: read_scorecard(clock), self)
            self._sla_job.succeeded.connect(self._on_sla_job_succeeded)
            self._sla_job.failed.connect(self._on_sla_job_failed)
            self._sla_job.finished.connect(self._on_sla_job_finished)
            self._sla_job.start()

    def is_loading(self) -> bool:
        return self._job is not None or self._sla_job is not None

    def wait(self) -> None:
        """Let loads in progress finish (before the database closes)."""
        self.at_risk.wait()
        for job in (self._job, self._sla_job):
            if job is not None:
                job.wait()

    def _on_job_finished(self) -> None:
        _let_go(self._job)
        self._job = None

    def _on_sla_job_finished(self) -> None:
        _let_go(self._sla_job)
        self._sla_job = None

    def _on_sla_job_failed(self, error: object) -> None:
        self.sla_status.setText("The service agreement's figures could not be worked out.")
        self.failed.emit(error)

    # --- showing -------------------------------------------------------------------------------

    def _on_job_succeeded(self, figures: DashboardFigures) -> None:
        name = metrics.month_name(figures.month)
        self.title.setText(f"Dashboard — {name} so far (to {figures.today.day} {figures.today:%B})")
        self._show_tiles(figures)
        self.funnel.show_funnel(figures.funnel)
        self._show_stages(figures.stages, figures.currency)
        self.trend.show_trend(figures.trend, figures.currency)
        self._show_waiting(figures.waiting)

    def _show_tiles(self, figures: DashboardFigures) -> None:
        for metric in KPI_CAPTIONS:
            figure = figures.team.figures[metric]
            percent = figure.percent
            colour, words = verdict(metric, percent, figures.month_gone)
            tile = self.tiles[metric]
            value = amount_text(metric, figure.actual, figures.currency)
            if figure.target is None:
                tile.show_value(value, (words, None))
            else:
                target = amount_text(metric, figure.target, figures.currency)
                tile.show_value(
                    value,
                    (f"{percent_text(percent)} of target ({target})", colour),
                    (words, None),
                )
            tile.show_colour(colour)
        new = figures.funnel.count("leads")
        self.tiles["leads"].show_value(
            f"{figures.glance.leads:,}", (f"{new:,} new this month", None)
        )

    def _show_stages(self, stages: list[forecast.StageValue], currency: str) -> None:
        for stage in stages:
            if stage.stage in self.stage_cells:
                self._fill_stage(stage.stage, stage.deals, stage.value, stage.weighted, currency)
        self._fill_stage(
            "total",
            sum(s.deals for s in stages),
            sum((s.value for s in stages), Decimal(0)),
            sum((s.weighted for s in stages), Decimal(0)),
            currency,
        )

    def _fill_stage(
        self, stage: str, deals: int, value: Decimal, weighted: Decimal, currency: str
    ) -> None:
        count, worth, expected = self.stage_cells[stage]
        count.setText(f"{deals:,}")
        worth.setText(money(value, currency))
        expected.setText(money(weighted, currency))

    def _show_waiting(self, waiting: list[my_day.Waiting]) -> None:
        if not waiting:
            self.waiting.setText(
                "Every lead handed over to sales has had a first call, email or meeting."
            )
            return
        many = f"{len(waiting):,} or more" if len(waiting) >= my_day.LIMIT else f"{len(waiting):,}"
        plural = "s are" if len(waiting) != 1 else " is"
        self.waiting.setText(
            f"<b>{many} lead{plural} waiting for a first call, email or meeting</b> since sales "
            f"got them (see My day). Below: promises to leads that are at risk or already broken."
        )

    def _on_sla_job_succeeded(self, card: sla.Scorecard) -> None:
        if card.agreement is None:
            self.sla_status.setText(
                "No service agreement is in force this month, so nothing was promised. "
                "Set one up on the SLA page."
            )
        else:
            self.sla_status.setText(
                "Once-a-month promises (lead volume, revenue) are judged when the month ends."
            )
        for side, _title, _kinds in SLA_SIDES:
            if side == "shared":
                figure = card.figures.get("revenue")
                kept = figure.compliance if figure is not None else None
            else:
                kept = side_month(card.figures, side).compliance
            words = "not judged yet" if kept is None else f"{percent_text(kept)} kept"
            self.sla_sides[side].setText(f"<b>{words}</b>")
            self.sla_sides[side].setStyleSheet(f"color: {sla_colour(kept).name()};")
            self.sla_sides[side].setAlignment(Qt.AlignmentFlag.AlignRight)
        for kind, label in self.sla_rows.items():
            figure = card.figures.get(kind)
            label.setText(sla_row_text(figure))

    def sla_texts(self) -> dict[str, str]:
        """Each commitment's line as shown, by kind."""
        return {kind: label.text() for kind, label in self.sla_rows.items()}


def _let_go(job: Job | None) -> None:
    """finished is sent from the job's own thread just before it ends: let it end, then free it."""
    if job is not None:
        job.wait()
        job.deleteLater()


def sla_colour(kept: float | None) -> QColor:
    if kept is None:
        return MUTED
    return GOOD if kept >= 90 else WARN if kept >= 70 else BAD


def sla_row_text(figure: sla.Figure | None) -> str:
    """'33% kept (1 met, 2 missed, 1 still open)'; a dash when nothing is judged yet."""
    if figure is None:
        return "–"
    counts = f"{figure.met:,} met, {figure.breached:,} missed"
    if figure.pending:
        counts += f", {figure.pending:,} still open"
    if figure.compliance is None:
        return f"not judged yet ({counts})" if figure.pending else "nothing to judge yet"
    return f"{percent_text(figure.compliance)} kept ({counts})"
