"""The simpler pages of the main window: the dashboard, the team, and pages yet to come."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import company, overview
from app.clock import Clock
from ui.at_risk_list import AtRiskList
from ui.jobs import Job


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


class Tile(QLabel):
    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.caption = caption
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(180, 96)

    def show_value(self, value: str) -> None:
        self.setText(
            f"<div style='font-size:22pt;font-weight:600'>{value}</div><div>{self.caption}</div>"
        )


class DashboardPage(QWidget):
    """At a glance: how many leads stand where, the open pipeline, campaigns and people.

    Figures load in the background (counting a million leads takes a moment).
    Signals: failed(exception) when they could not be read."""

    failed = Signal(object)
    open_lead = Signal(int)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self.at_risk = AtRiskList(clock)
        self.at_risk.failed.connect(self.failed)
        self.at_risk.open_lead.connect(self.open_lead)
        self.tiles = {
            key: Tile(caption)
            for key, caption in (
                ("leads", "leads in all"),
                ("waiting", "handed over, awaiting sales"),
                ("accepted", "accepted and being worked"),
                ("deals", "open deals"),
                ("pipeline", "open pipeline value"),
                ("campaigns", "active campaigns"),
            )
        }
        grid = QGridLayout()
        for index, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, index // 3, index % 3)
        note = QLabel(
            "Targets against results, the funnel, SLA compliance and what needs attention today "
            "will appear here as those parts of Tandem arrive."
        )
        note.setObjectName("promise")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Dashboard"))
        layout.addLayout(grid)
        attention = QLabel("<b>Needs attention: leads whose SLA clock is at risk or breached</b>")
        layout.addWidget(attention)
        layout.addWidget(self.at_risk, 1)
        layout.addWidget(note)

    def refresh(self) -> None:
        self.at_risk.refresh()
        if self._job is not None:
            return  # already loading
        self._job = Job(lambda _progress: (overview.glance(), company.load().currency), self)
        self._job.succeeded.connect(self._on_job_succeeded)
        self._job.failed.connect(self.failed)
        self._job.finished.connect(self._on_job_finished)
        self._job.start()

    def wait(self) -> None:
        """Let a load in progress finish (before the database closes)."""
        self.at_risk.wait()
        if self._job is not None:
            self._job.wait()

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None

    def _on_job_succeeded(self, result: tuple[overview.Glance, str]) -> None:
        figures, currency = result
        self.tiles["leads"].show_value(f"{figures.leads:,}")
        self.tiles["waiting"].show_value(f"{figures.leads_by_stage.get('handed_over', 0):,}")
        self.tiles["accepted"].show_value(f"{figures.leads_by_stage.get('accepted', 0):,}")
        self.tiles["deals"].show_value(f"{figures.open_deals:,}")
        self.tiles["pipeline"].show_value(f"{figures.open_pipeline:,.0f} {currency}")
        self.tiles["campaigns"].show_value(f"{figures.active_campaigns:,}")
