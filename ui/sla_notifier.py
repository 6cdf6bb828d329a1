"""While Tandem is open: a desktop notification when a handed-over lead goes at risk."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from app import sla
from app.clock import Clock
from app.sla import ClockReading
from ui.jobs import Job
from ui.sla_clocks_list import KIND_WORDS, business_duration, sla_job

CHECK_MS = 3 * 60 * 1000  # every three minutes: a 4-hour promise warns an hour ahead
SHOWN_MS = 15_000


def message(readings: list[ClockReading]) -> tuple[str, str, int]:
    """(title, text, lead to open) for the clocks that went at risk: the newest lead."""
    by_lead: dict[int, ClockReading] = {}
    for reading in readings:
        by_lead.setdefault(reading.lead_id, reading)
    firsts = list(by_lead.values())
    newest = max(firsts, key=lambda r: (r.started_at, r.id))
    if len(firsts) == 1:
        what = KIND_WORDS.get(newest.kind, newest.kind).lower()
        return (
            f"{newest.lead} is at risk",
            f"The {what} is due within {business_duration(newest.left)} of working time.",
            newest.lead_id,
        )
    names = [reading.lead for reading in firsts[:2]]
    others = len(firsts) - len(names)
    listed = " and ".join(names) if not others else f"{', '.join(names)} and {others} more"
    return (
        f"{len(firsts)} leads are at risk",
        f"{listed}: their promised time is running out.",
        newest.lead_id,
    )


class SlaNotifier(QObject):
    """Checks every few minutes, in the background, for leads gone at risk since the last check.
    Shows a tray message where the desktop has a tray; elsewhere emits notified() for the
    window's status bar.

    Signals: notified(title, text, lead_id) when no tray can show the message;
    open_lead(lead_id) when the user clicks the tray message; failed(exception) when a check
    failed (once until a check succeeds again)."""

    notified = Signal(str, str, int)
    open_lead = Signal(int)
    failed = Signal(object)

    def __init__(
        self,
        clock: Clock,
        parent: QObject | None = None,
        interval_ms: int = CHECK_MS,
        use_tray: bool | None = None,
    ) -> None:
        """use_tray None: use the system tray when the desktop has one."""
        super().__init__(parent)
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self._use_tray = use_tray
        self._tray: QSystemTrayIcon | None = None
        self._since: dt.datetime | None = None
        self._job: Job | None = None
        self._failing = False
        self.latest_lead: int | None = None

    def start(self) -> None:
        """Watch from now on: leads already at risk were there to see on the lists."""
        if self._use_tray is None:
            self._use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if self._use_tray and self._tray is None:
            icon = QGuiApplication.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(QIcon(icon), self)
            self._tray.setToolTip("Tandem — warns when a lead's SLA clock goes at risk")
            self._tray.messageClicked.connect(self.open_latest)
        if self._tray is not None:
            self._tray.show()
        self._since = self.clock.now()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._tray is not None:
            self._tray.hide()

    def is_running(self) -> bool:
        return self.timer.isActive()

    def check(self) -> None:
        """Look for leads gone at risk since the last check (in the background)."""
        if self._job is not None or self._since is None:
            return  # the last check is still running (perhaps behind a long rebuild)
        since, now = self._since, self.clock.now()
        job = sla_job(lambda: (now, sla.gone_at_risk(since, now=now)))
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        job.start()

    def wait(self) -> None:
        """Let a check in progress finish (before the database closes)."""
        if self._job is not None:
            self._job.wait()

    def open_latest(self) -> None:
        """Open the lead the last message was about."""
        if self.latest_lead is not None:
            self.open_lead.emit(self.latest_lead)

    def _on_job_succeeded(self, result: tuple[dt.datetime, list[ClockReading]]) -> None:
        now, readings = result
        self._failing = False
        self._since = max(now, self._since or now)
        if not readings:
            return
        title, text, lead_id = message(readings)
        self.latest_lead = lead_id
        if self._tray is not None:
            self._tray.showMessage(
                title, f"{text} Click to open it.", QSystemTrayIcon.MessageIcon.Warning, SHOWN_MS
            )
        else:
            self.notified.emit(title, text, lead_id)

    def _on_job_failed(self, exc: BaseException) -> None:
        if not self._failing:  # one report, not one every few minutes
            self.failed.emit(exc)
        self._failing = True

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
