"""The first screen of a new database: explore a sample company, or start your own."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import team
from app.clock import Clock
from app.errors import UserError
from ui.company_form import CompanyForm
from ui.errors import show_problem
from ui.jobs import Cancelled, run_with_progress

SAMPLE_LEADS = 5000


class WelcomeDialog(QDialog):
    """Accepted once the database holds a company (the sample or the user's own)."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setWindowTitle("Welcome to Tandem")
        self.setMinimumWidth(640)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._company_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _choice_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Welcome to Tandem")
        title.setObjectName("welcomeTitle")
        intro = QLabel(
            "One desk for marketing and sales: campaigns, leads, deals, the promises each side "
            "makes the other, and the monthly plan you take into the meeting."
        )
        intro.setWordWrap(True)
        self.sample_button = QCommandLinkButton(
            "Explore a sample company",
            "A garden-supply business with a year of campaigns, leads and deals to try "
            "things on. Nothing you do there touches your own data.",
        )
        self.start_button = QCommandLinkButton(
            "Start my company",
            "Set up your own company: its name, currency, country and working hours. "
            "It takes a minute, and everything can be changed later in Settings.",
        )
        self.sample_button.clicked.connect(self._on_sample_button_clicked)
        self.start_button.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(self.sample_button)
        layout.addWidget(self.start_button)
        layout.addStretch()
        return page

    def _company_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Your company")
        title.setObjectName("welcomeTitle")
        self.form = CompanyForm(with_logo=False)
        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText("You run the company and set the agreement")
        self.owner_email = QLineEdit()
        you = QFormLayout()
        you.addRow("&Your name", self.owner_name)
        you.addRow("Your &email", self.owner_email)
        back = QPushButton("&Back")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.create_button = QPushButton("&Create my company")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch()
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.form)
        layout.addLayout(you)
        layout.addLayout(buttons)
        self.form.changed.connect(self._on_form_changed)
        self.owner_name.textChanged.connect(self._on_form_changed)
        self._on_form_changed()
        return page

    def _on_form_changed(self) -> None:
        self.create_button.setEnabled(self.form.is_valid() and bool(self.owner_name.text().strip()))

    def _on_sample_button_clicked(self) -> None:
        from app import demo  # only needed here; importing it costs start-up time

        today = self.clock.now().date()
        try:
            run_with_progress(
                self,
                "Sample company",
                "Building the sample company…",
                lambda progress: demo.build_demo(
                    leads=SAMPLE_LEADS, seed=1, today=today, progress=progress
                ),
            )
        except Cancelled:
            return
        except Exception as exc:
            show_problem(self, exc, "Could not build the sample company")
            return
        self.accept()

    def _on_create_button_clicked(self) -> None:
        try:
            team.start_company(
                self.form.profile(),
                self.owner_name.text(),
                self.owner_email.text().strip(),
                clock=self.clock,
            )
        except UserError as exc:
            show_problem(self, exc, "Cannot create the company")
            return
        self.accept()
