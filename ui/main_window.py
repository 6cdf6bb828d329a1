"""The main window: a sidebar of the product's areas, the pages, menus and the status bar."""

from __future__ import annotations

from pathlib import Path

from peewee import PeeweeException as PeeweeError
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__, backup, company, db, settings, team
from app.clock import Clock
from app.db import Store
from app.errors import DatabaseDamagedError
from ui.campaigns_page import CampaignsPage
from ui.dashboard_page import DashboardPage
from ui.errors import plain, show_problem
from ui.export_action import campaigns_query, deals_query, export_list, leads_query
from ui.import_wizard import ImportWizard
from ui.jobs import Job
from ui.leads_page import LeadsPage
from ui.my_day_page import MyDayPage
from ui.opening import open_interactively
from ui.pipeline_page import PipelinePage
from ui.plans_page import PlansPage
from ui.record_dialogs import TrashDialog
from ui.settings_page import SettingsPage
from ui.sla_notifier import SlaNotifier
from ui.sla_page import SlaPage
from ui.team_page import TeamPage
from ui.welcome import WelcomeDialog

BACKUP_CHECK_MS = 60 * 60 * 1000  # look hourly whether today's backup is due
NOTIFIER_DELAY_MS = 30_000


class MainWindow(QMainWindow):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.resize(1180, 760)
        self._closing = False
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.dashboard = DashboardPage(clock)
        self.dashboard.failed.connect(self._on_page_failed)
        self.dashboard.open_lead.connect(self.open_lead)
        self.pages: dict[str, QWidget] = {"Dashboard": self.dashboard}
        self.my_day = MyDayPage(clock)
        self.my_day.failed.connect(self._on_page_failed)
        self.my_day.open_lead.connect(self.open_lead)
        self.pages["My day"] = self.my_day
        self.campaigns_page = CampaignsPage(clock)
        self.pages["Campaigns"] = self.campaigns_page
        self.leads_page = LeadsPage(clock)
        self.pages["Leads"] = self.leads_page
        self.pipeline_page = PipelinePage(clock)
        self.pipeline_page.failed.connect(self._on_page_failed)
        self.pages["Pipeline"] = self.pipeline_page
        self.sla_page = SlaPage(clock)
        self.sla_page.failed.connect(self._on_page_failed)
        self.sla_page.open_lead.connect(self.open_lead)
        self.pages["SLA"] = self.sla_page
        self.plans_page = PlansPage(clock)
        self.pages["Plans"] = self.plans_page
        self.pages["Team"] = TeamPage(clock)
        self.settings_page = SettingsPage(clock)
        self.settings_page.saved.connect(self._on_settings_page_saved)
        self.pages["Settings"] = self.settings_page
        for name, page in self.pages.items():
            self.sidebar.addItem(name)
            self.stack.addWidget(page)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = QLabel()
        self.database_label.setObjectName("databaseLabel")
        self.backup_label = QLabel()
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self.sla_notifier = SlaNotifier(clock, self)
        self.sla_notifier.notified.connect(
            lambda title, text, _id: self.statusBar().showMessage(f"⚠ {title} {text}", 30000)
        )
        self.sla_notifier.open_lead.connect(self._on_sla_notifier_open_lead)
        # Warnings start once the window has settled: working out clocks competes with start-up.
        self._notifier_start = QTimer(self)
        self._notifier_start.setSingleShot(True)
        self._notifier_start.setInterval(NOTIFIER_DELAY_MS)
        self._notifier_start.timeout.connect(self.sla_notifier.start)
        self.sla_notifier.failed.connect(
            lambda exc: self.statusBar().showMessage(f"SLA warnings paused: {exc}", 15000)
        )
        self._build_menus()
        self._show_store()
        # Paint the window first, then fill the first page (a count over 1M leads takes a moment).
        with QSignalBlocker(self.sidebar):
            self.sidebar.setCurrentRow(0)
        QTimer.singleShot(0, self.refresh_page)

        self._backup_job: Job | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.back_up_if_due)
        self.backup_timer.start()
        QTimer.singleShot(5000, self.back_up_if_due)
        self._check_job: Job | None = None
        if not self.store.checked:
            QTimer.singleShot(0, self._check_in_background)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New database…", QKeySequence("Ctrl+Shift+N"), self.new_database)
        self._action(
            file_menu, "&Open database…", QKeySequence.StandardKey.Open, self.open_database
        )
        file_menu.addSeparator()
        imports = file_menu.addMenu("&Import")
        for text, kind in (
            ("&Leads…", "leads"),
            ("&Campaigns…", "campaigns"),
            ("&Deals…", "deals"),
        ):
            self._action(imports, text, None, lambda _=False, k=kind: self.import_file(k))
        exports = file_menu.addMenu("&Export")
        self._action(exports, "&Leads as shown…", None, self.export_leads)
        self._action(exports, "&Deals as shown…", None, self.export_deals)
        self._action(
            exports,
            "&Campaigns…",
            None,
            lambda: export_list(self, "campaigns", campaigns_query(), "campaigns"),
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence("Ctrl+Q"), self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        self._action(edit_menu, "&Trash…", QKeySequence("Ctrl+Shift+T"), self.show_trash)
        go_menu = self.menuBar().addMenu("&Go")
        for index, name in enumerate(self.pages):
            self._action(
                go_menu,
                name,
                QKeySequence(f"Ctrl+{index + 1}"),
                lambda _=False, row=index: self.sidebar.setCurrentRow(row),
            )
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Tandem", None, self.show_about)

    def _action(self, menu, text, shortcut, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _show_store(self) -> None:
        self._show_title()
        self._notifier_start.start()
        self.database_label.setText(f"Database: {self.store.label}")
        self.database_label.setToolTip(self.store.label)

    def _show_title(self) -> None:
        name = company.load().name or "Tandem"
        sample = " (sample company)" if settings.get("company.sample", False) else ""
        self.setWindowTitle(f"{name}{sample} — Tandem")

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.refresh_page()

    def refresh_page(self) -> None:
        """Reload the page on show; a damaged file found here leads to the restore offer."""
        if self._closing:
            return  # a reload queued before the window closed: the database is gone
        try:
            self.stack.currentWidget().refresh()  # type: ignore[attr-defined]
        except PeeweeError as exc:
            self._on_page_failed(exc)

    def _on_page_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PeeweeError) and "malformed" in str(exc).lower():
            self._reopen_after_damage()
        else:
            show_problem(self, exc)

    def _on_settings_page_saved(self) -> None:
        self._show_title()

    # Switching databases -------------------------------------------------------------------

    def new_database(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New Tandem database",
            str(Path.home() / "My company.tandem"),
            "Tandem databases (*.tandem *.db)",
        )
        if name:
            if Path(name).exists():
                QMessageBox.warning(
                    self,
                    "New database",
                    f"{name} already exists. Use File → Open to open it, or choose a new name.",
                )
                return
            self.switch_to(name)

    def open_database(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Open a Tandem database",
            str(Path.home()),
            "Tandem databases (*.tandem *.db);;All files (*)",
        )
        if name:
            self.switch_to(name)

    def switch_to(self, target: str) -> bool:
        """Close this database and open target; if target cannot be used, reopen this one."""
        previous = str(self.store.path) if self.store.path else None
        self._wait_for_background_reads()
        self.store.close()
        store = open_interactively(self, target, self.clock)
        welcomed = WelcomeDialog.DialogCode.Accepted
        if store and not team.is_onboarded() and WelcomeDialog(self.clock, self).exec() != welcomed:
            store.close()
            store = None
        if store is None and previous is not None:
            store = open_interactively(self, previous, self.clock)
        if store is None:
            self.close()
            return False
        self.store = store
        self._show_store()
        self.refresh_page()
        return True

    def _on_sla_notifier_open_lead(self, lead_id: int) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_lead(lead_id)

    def open_lead(self, lead_id: int) -> None:
        self.sidebar.setCurrentRow(list(self.pages).index("Leads"))
        self.leads_page.show_lead(lead_id)

    def _wait_for_background_reads(self) -> None:
        """Pages read in threads of their own; let them finish before the database closes.
        The SLA warnings stop too, and start again on the next database (_show_store)."""
        self._notifier_start.stop()
        self.sla_notifier.stop()
        self.dashboard.wait()
        self.my_day.wait()
        self.campaigns_page.wait()
        self.pipeline_page.wait()
        self.sla_page.wait()
        self.sla_notifier.wait()
        self.leads_page.model.wait()

    # Checks and backups ---------------------------------------------------------------------

    def _check_in_background(self) -> None:
        """SQLite's quick check, off the GUI thread; damage found leads to the restore offer."""
        path = self.store.path
        if path is None or self._closing:
            return
        self.statusBar().showMessage("Checking the database…")
        job = Job(
            lambda _progress: db.check_integrity(path, full=False, should_stop=job.is_cancelled),
            self,
        )
        job.succeeded.connect(
            lambda _result: self.statusBar().showMessage("Database checked", 4000)
        )
        job.failed.connect(self._on_check_job_failed)
        job.finished.connect(self._on_check_job_finished)
        self._check_job = job
        job.start()

    def _on_check_job_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        if self._check_job is not None and self._check_job.is_cancelled():
            return  # closing or switching: the check is run again next time
        if not isinstance(exc, DatabaseDamagedError):
            show_problem(self, exc, "Could not check the database")
            return
        self._reopen_after_damage()

    def _reopen_after_damage(self) -> None:
        """Reopening checks in the foreground, which offers to restore the latest backup."""
        target = str(self.store.path)
        self._wait_for_background_reads()
        self.store.close()
        store = open_interactively(self, target, self.clock)
        if store is None:
            self.close()
            return
        self.store = store
        self._show_store()
        self.refresh_page()

    def _on_check_job_finished(self) -> None:
        if self._check_job is not None:
            self._check_job.deleteLater()
        self._check_job = None

    # Backups ---------------------------------------------------------------------------------

    def back_up_if_due(self) -> None:
        """Today's automatic backup, made in the background; a failure shows in the status bar."""
        path = self.store.path
        if path is None or self._backup_job is not None or self._closing:
            return
        if not backup.daily_backup_due(path, self.clock.now()):
            return
        job = Job(
            lambda progress: backup.make_automatic_backup(path, "daily", self.clock.now(), progress)
        )
        job.succeeded.connect(self._on_backup_job_succeeded)
        job.failed.connect(self._on_backup_job_failed)
        job.finished.connect(self._on_backup_job_finished)
        self._backup_job = job
        job.start()

    def _on_backup_job_succeeded(self, result: backup.BackupResult) -> None:
        self.backup_label.setText(f"Backed up today at {self.clock.now():%H:%M} UTC")
        self.backup_label.setToolTip(str(result.path))

    def _on_backup_job_failed(self, exc: BaseException) -> None:
        if self._backup_job is not None and self._backup_job.is_cancelled():
            return
        self.backup_label.setText("⚠ Today's backup failed")
        self.backup_label.setToolTip(str(exc))
        self.statusBar().showMessage(f"The automatic backup failed: {exc}", 15000)

    def _on_backup_job_finished(self) -> None:
        if self._backup_job is not None:
            self._backup_job.deleteLater()
        self._backup_job = None

    # Window ----------------------------------------------------------------------------------

    # Import and export -----------------------------------------------------------------------

    def import_file(self, kind: str) -> None:
        wizard = ImportWizard(kind, self.clock, self)
        wizard.exec()
        if wizard.imported is not None and wizard.imported.kept:
            self.refresh_page()

    def export_leads(self) -> None:
        sort, descending = self.leads_page.model.sort_order()
        query = leads_query(self.leads_page.current_filter(), sort, descending)
        export_list(self, "leads", query, "leads")

    def export_deals(self) -> None:
        model = self.pipeline_page.list.model
        sort, descending = model.sort_order()
        export_list(self, "deals", deals_query(model.deal_filter, sort, descending), "deals")

    def show_trash(self) -> None:
        """Everything deleted, from every page, with Restore."""
        dialog = TrashDialog(self.clock, self)
        dialog.exec()
        if dialog.restored:
            self.refresh_page()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Tandem",
            f"<h3>Tandem {__version__}</h3><p>The sales &amp; marketing desk for small teams: "
            "campaigns, leads, deals, the marketing–sales agreement and the monthly plan, "
            "on your own computer.</p>"
            f"<p>Database: {plain(self.store.label)}</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True  # timers queued before now must not start work on a closed file
        self.backup_timer.stop()
        for job in (self._backup_job, self._check_job):
            if job is not None:
                job.cancel()  # a cancelled backup leaves no file; today's is made next start
                job.wait()
        self._wait_for_background_reads()
        self.store.close()
        super().closeEvent(event)
