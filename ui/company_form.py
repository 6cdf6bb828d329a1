"""The company profile form, shared by the welcome screen and Settings; checks as you type."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QLocale, QSize, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from app import company
from app.company import CompanyProfile

CURRENCIES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "NZD",
    "JPY",
    "CNY",
    "HKD",
    "SGD",
    "INR",
    "BRL",
    "MXN",
    "ZAR",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "TRY",
    "AED",
    "SAR",
    "KRW",
]
# Countries where letter-size paper is the norm; everyone else prints on A4.
LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE"}
LOGO_SIZE = QSize(160, 64)


class CompanyForm(QWidget):
    """Edits a CompanyProfile. Signals: changed() on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, with_logo: bool = True) -> None:
        super().__init__(parent)
        self._logo: bytes | None = None
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Greenleaf Bakery")
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setValidator(QRegularExpressionValidator(r"[A-Za-z]{0,3}"))
        self.country = QComboBox()
        for code, name in company.countries().items():
            self.country.addItem(name, code)
        self._make_searchable(self.country)
        self.region = QComboBox()
        self.timezone = QComboBox()
        self.timezone.addItems(sorted(company.time_zones()))
        self._make_searchable(self.timezone)
        self.days = [QCheckBox(name[:3]) for name in company.WEEKDAY_NAMES]
        for box, name in zip(self.days, company.WEEKDAY_NAMES, strict=True):
            box.setToolTip(name)
        self.starts = QTimeEdit()
        self.ends = QTimeEdit()
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("HH:mm")
        self.paper = QComboBox()
        self.paper.addItems(company.PAPER_SIZES)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)

        days = QHBoxLayout()
        for box in self.days:
            days.addWidget(box)
        days.addStretch()
        hours = QHBoxLayout()
        hours.addWidget(self.starts)
        hours.addWidget(QLabel("to"))
        hours.addWidget(self.ends)
        hours.addStretch()
        form = QFormLayout(self)
        form.addRow("Company &name", self.name)
        form.addRow("&Currency", self.currency)
        form.addRow("C&ountry", self.country)
        form.addRow("&Region", self.region)
        form.addRow("&Time zone", self.timezone)
        form.addRow(self._label("&Working days", self.days[0]), days)
        form.addRow(self._label("Working &hours", self.starts), hours)
        form.addRow("&Paper size", self.paper)
        if with_logo:
            self.logo_preview = QLabel("No logo")
            self.logo_preview.setFixedSize(LOGO_SIZE)
            self.logo_preview.setObjectName("logoPreview")
            choose = QPushButton("Choose &logo…")
            choose.clicked.connect(self._on_choose_clicked)
            remove = QPushButton("Remove")
            remove.clicked.connect(lambda: self._set_logo(None))
            logo = QHBoxLayout()
            logo.addWidget(self.logo_preview)
            logo.addWidget(choose)
            logo.addWidget(remove)
            logo.addStretch()
            form.addRow("Logo", logo)
        form.addRow(self.problems)

        self.country.currentIndexChanged.connect(self._on_country_changed)
        for signal in (
            self.name.textChanged,
            self.currency.currentTextChanged,
            self.region.currentIndexChanged,
            self.timezone.currentTextChanged,
            self.starts.timeChanged,
            self.ends.timeChanged,
            self.paper.currentIndexChanged,
            *(box.toggled for box in self.days),
        ):
            signal.connect(self._on_edited)
        self.set_profile(self.default_profile())

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        """A row label whose Alt shortcut jumps to the row's first field."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _make_searchable(combo: QComboBox) -> None:
        """Long lists: type any part of a name to find it."""
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    @staticmethod
    def default_profile() -> CompanyProfile:
        """Guess place and time zone from this computer, so most people change nothing."""
        zone = QTimeZone.systemTimeZoneId().data().decode() or "UTC"
        country = QTimeZone(zone.encode()).territory()
        profile = CompanyProfile(timezone=zone if zone in company.time_zones() else "UTC")
        code = QLocale.territoryToCode(country)
        if code in company.countries():
            profile.country = code
            profile.paper = "Letter" if code in LETTER_COUNTRIES else "A4"
        return profile

    def set_profile(self, profile: CompanyProfile) -> None:
        self.blockSignals(True)
        self.name.setText(profile.name)
        self.currency.setCurrentText(profile.currency)
        self.country.setCurrentIndex(max(0, self.country.findData(profile.country)))
        self._fill_regions()
        self.region.setCurrentIndex(max(0, self.region.findData(profile.region)))
        self.timezone.setCurrentText(profile.timezone)
        for day, box in enumerate(self.days):
            box.setChecked(day in profile.working_days)
        self.starts.setTime(QTime.fromString(profile.day_starts, "HH:mm"))
        self.ends.setTime(QTime.fromString(profile.day_ends, "HH:mm"))
        self.paper.setCurrentText(profile.paper)
        self.blockSignals(False)
        if hasattr(self, "logo_preview"):
            self._set_logo(profile.logo)
        self._on_edited()

    def profile(self) -> CompanyProfile:
        return CompanyProfile(
            name=self.name.text().strip(),
            currency=self.currency.currentText().strip().upper(),
            country=self.country.currentData() or "",
            region=self.region.currentData() or "",
            timezone=self.timezone.currentText().strip(),
            working_days=[day for day, box in enumerate(self.days) if box.isChecked()],
            day_starts=self.starts.time().toString("HH:mm"),
            day_ends=self.ends.time().toString("HH:mm"),
            paper=self.paper.currentText(),
            logo=self._logo,
        )

    def is_valid(self) -> bool:
        return not self.profile().problems()

    def _fill_regions(self) -> None:
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem("Whole country", "")
        for code, name in company.regions(self.country.currentData() or "").items():
            self.region.addItem(f"{name} ({code})" if name != code else code, code)
        self.region.setEnabled(self.region.count() > 1)
        self.region.blockSignals(False)

    def _on_country_changed(self) -> None:
        self._fill_regions()
        self._on_edited()

    def _on_edited(self) -> None:
        problems = self.profile().problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        if not self.signalsBlocked():
            self.changed.emit()

    def _on_choose_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the company logo", "", "Images (*.png *.jpg *.jpeg)"
        )
        if name:
            with open(name, "rb") as handle:
                self._set_logo(handle.read())

    def _set_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and not pixmap.loadFromData(QByteArray(data)):
            self.problems.setText("That file is not a picture Tandem can read (PNG or JPEG).")
            self.problems.setVisible(True)
            return
        self._logo = data
        if data:
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    LOGO_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
        self._on_edited()
