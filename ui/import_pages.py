"""The pages of the import wizard, each asking one thing a non-programmer can answer."""

from __future__ import annotations

import codecs
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.errors import UserError
from app.io import importer, mapping, reader
from app.io.mapping import FIELDS, IGNORE
from app.io.output import replaced_on_success
from app.io.report import ImportReport, save_errors
from app.io.values import Formats, text_of
from ui.errors import show_problem
from ui.jobs import Cancelled, Job

if TYPE_CHECKING:
    from ui.import_wizard import ImportWizard

PREVIEW_ROWS = 20
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
T = TypeVar("T")

KIND_NAMES = {"leads": "Leads", "campaigns": "Campaigns", "deals": "Deals"}
SINGULAR = {"leads": "lead", "campaigns": "campaign", "deals": "deal"}
# How Tandem tells that a row is already there, in the user's words.
SAME_RECORD = {
    "leads": "the same email address or, failing that, the same phone number",
    "campaigns": "the same name",
    "deals": "the same title and the same lead",
}
# What a row cannot do without (as mapping.check_mapping asks).
NEEDED = {
    "leads": "a name or a company",
    "campaigns": "the campaign's name",
    "deals": "the deal's title",
}
OPEN_FILTERS = (
    "Tables (*.csv *.tsv *.txt *.xlsx);;CSV files (*.csv);;Text files (*.txt *.tsv);;"
    "Excel workbooks (*.xlsx);;All files (*)"
)
# Encodings people's files come in, by the names the codecs module gives them.
ENCODINGS = (
    ("UTF-8 (most programs today)", "utf-8"),
    ("UTF-8 with a byte-order mark", "utf-8-sig"),
    ("UTF-16 (Excel's “Unicode text”)", "utf-16"),
    ("UTF-16, little-endian, no mark", "utf-16-le"),
    ("UTF-16, big-endian, no mark", "utf-16-be"),
    ("Windows-1252 (Western Europe, older Excel)", "cp1252"),
    ("Windows-1250 (Central Europe)", "cp1250"),
    ("Windows-1251 (Cyrillic)", "cp1251"),
    ("Latin-1 (ISO 8859-1)", "latin-1"),
    ("Latin-9 (ISO 8859-15)", "iso8859-15"),
    ("Mac Roman (older Macs)", "mac-roman"),
    ("Shift JIS (Japanese)", "shift_jis"),
    ("GB18030 (Chinese)", "gb18030"),
    ("Big5 (Traditional Chinese)", "big5"),
    ("EUC-KR (Korean)", "euc_kr"),
)
# The counts of a report as tiles: its attribute, and the words under the figure.
COUNTS = {
    "read": "rows read",
    "imported": "new",
    "updated": "updated",
    "skipped": "skipped as duplicates",
    "rejected": "rejected",
}
DELIMITERS = (
    ("Commas ( , )", ","),
    ("Semicolons ( ; )", ";"),
    ("Tabs", "\t"),
    ("Vertical bars ( | )", "|"),
)


@dataclass(frozen=True)
class ImportOutcome:
    """What a run of the import gave: its report, and the file holding all its row errors."""

    report: ImportReport
    errors_file: Path | None


def codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def hint(text: str = "") -> QLabel:
    """A grey sentence that explains the control above it."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _problem_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problems")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _shown(value: Any, limit: int = 120) -> str:
    """A cell as one short line of text for a preview."""
    text = " ⏎ ".join(text_of(value).splitlines())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Page(QWizardPage):
    """A page with a line for the sentence that says what went wrong on it."""

    def __init__(self) -> None:
        super().__init__()
        self.problem = _problem_label()

    def owner(self) -> ImportWizard:
        return cast("ImportWizard", self.wizard())

    def say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def attempt(self, step: Callable[[], T]) -> T | None:
        """Run step; a whole-file problem becomes the sentence on this page, a bug the crash
        dialog. None when it failed."""
        try:
            result = step()
        except UserError as exc:
            self.say(str(exc))
            return None
        except Exception as exc:
            self.say("")
            show_problem(self, exc, "Import")
            return None
        self.say("")
        return result

    def succeeds(self, step: Callable[[], object]) -> bool:
        """Run step as attempt() does; True if it went through."""

        def checked() -> bool:
            step()
            return True

        return self.attempt(checked) is not None


# 1. The file -------------------------------------------------------------------------------


class FilePage(_Page):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.setTitle("Choose the file to import")
        self.setSubTitle(
            "A table saved from a spreadsheet or another program: CSV or text (.csv, .tsv, .txt) "
            "or an Excel workbook (.xlsx). Tandem only reads it; the file is not changed."
        )
        self.kind = QComboBox()
        for name, label in KIND_NAMES.items():
            self.kind.addItem(label, name)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.path = QLineEdit()
        self.path.setPlaceholderText("Press Browse to pick the file, or type where it is")
        self.path.setClearButtonEnabled(True)
        self.browse = QPushButton("Br&owse…")
        self.fields = hint()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        file_label = QLabel("&File")
        file_label.setBuddy(self.path)
        form = QFormLayout()
        form.addRow("&What the file holds", self.kind)
        form.addRow(file_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addSpacing(12)
        layout.addWidget(self.fields)
        layout.addStretch()
        self.browse.clicked.connect(self._on_browse_clicked)
        self.path.textChanged.connect(self._on_path_text_changed)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._on_kind_current_index_changed()

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def _on_kind_current_index_changed(self) -> None:
        labels = [field.label for field in FIELDS[self.chosen_kind()].values()]
        self.fields.setText(
            f"Each {SINGULAR[self.chosen_kind()]} can have: {', '.join(labels)}. The file "
            f"needs a column with {NEEDED[self.chosen_kind()]}; the rest are up to you."
        )

    def _on_browse_clicked(self) -> None:
        current = self.path.text().strip()
        start = (
            str(Path(current).expanduser().parent)
            if current
            else QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the file to import", start, OPEN_FILTERS
        )
        if chosen:
            self.path.setText(chosen)

    def _on_path_text_changed(self) -> None:
        self.say("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip().strip('"')).expanduser()
        kind = self.chosen_kind()
        return self.succeeds(lambda: self.owner().open_file(path, kind))


# 2. How the file is read -------------------------------------------------------------------


class ReadingPage(_Page):
    """The detected encoding, delimiter, header row and sheet, each one the user may change;
    every change reads the file again and shows the preview as the import will read it."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Check that Tandem reads the file right")
        self.setSubTitle(
            "Tandem guessed how the file is written. If the preview below looks wrong (odd "
            "characters, everything in one column, names in the wrong row), change a setting."
        )
        self.overrides: dict[str, Any] = {}
        self._readable = False
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.encoding = QComboBox()
        for label, name in ENCODINGS:
            self.encoding.addItem(label, codec_name(name))
        self.delimiter = QComboBox()
        for label, sep in DELIMITERS:
            self.delimiter.addItem(label, sep)
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 100_000)
        self.header_row.setSpecialValueText("None: the file has no column names")
        self.header_row.setKeyboardTracking(False)  # one reading per number, not per digit
        self.sheet = QComboBox()
        self.form = QFormLayout()
        self.form.addRow(self.file_label)
        self.form.addRow("S&heet", self.sheet)
        self.form.addRow("Characters (&encoding)", self.encoding)
        self.form.addRow("Columns &separated by", self.delimiter)
        self.header_label = QLabel("Column names on &line")
        self.header_label.setBuddy(self.header_row)
        self.form.addRow(self.header_label, self.header_row)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.preview.setToolTip("The numbers on the left are the lines the rows start on")
        self.preview_note = hint()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_note)
        self.encoding.currentIndexChanged.connect(self._on_encoding_current_index_changed)
        self.delimiter.currentIndexChanged.connect(self._on_delimiter_current_index_changed)
        self.header_row.valueChanged.connect(self._on_header_row_value_changed)
        self.sheet.currentIndexChanged.connect(self._on_sheet_current_index_changed)

    def initializePage(self) -> None:
        self.overrides = {}
        layout = self.owner().file_layout
        assert layout is not None
        self._show(layout)

    def isComplete(self) -> bool:
        return self._readable

    def validatePage(self) -> bool:
        return self._readable

    def _on_encoding_current_index_changed(self) -> None:
        self._override("encoding", self.encoding.currentData())

    def _on_delimiter_current_index_changed(self) -> None:
        self._override("delimiter", self.delimiter.currentData())

    def _on_header_row_value_changed(self, value: int) -> None:
        self._override("header_row", value)

    def _on_sheet_current_index_changed(self) -> None:
        self.overrides.pop("header_row", None)  # another sheet has its names in its own row
        self._override("sheet", self.sheet.currentText())

    def _override(self, setting: str, value: Any) -> None:
        self.overrides[setting] = value
        wizard = self.owner()
        assert wizard.file_layout is not None
        path, overrides = wizard.file_layout.path, dict(self.overrides)
        layout = self.attempt(lambda: reader.detect_layout(path, **overrides))
        if layout is None:
            self._readable = False
            self.preview.clear()
            self.preview.setRowCount(0)
            self.completeChanged.emit()
            return
        self._show(layout)

    def _show(self, layout: reader.Layout) -> None:
        """Set the controls to the layout (without reading again), then read the preview."""
        is_text = layout.format == "csv"
        controls = (self.encoding, self.delimiter, self.header_row, self.sheet)
        for control in controls:
            control.blockSignals(True)
        try:
            self._choose(self.encoding, codec_name(layout.encoding), layout.encoding)
            self._choose(self.delimiter, layout.delimiter, f"“{layout.delimiter}”")
            self.header_row.setValue(layout.header_row)
            self.sheet.clear()
            self.sheet.addItems(list(layout.sheets))
            self.sheet.setCurrentText(layout.sheet)
        finally:
            for control in controls:
                control.blockSignals(False)
        self.form.setRowVisible(self.sheet, not is_text)
        self.form.setRowVisible(self.encoding, is_text)
        self.form.setRowVisible(self.delimiter, is_text)
        self.header_label.setText("Column names on &line" if is_text else "Column names in &row")
        what = "a text file (CSV)" if is_text else "an Excel workbook"
        self.file_label.setText(f"<b>{layout.path.name}</b> is {what}.")
        self._read_preview(layout)

    @staticmethod
    def _choose(combo: QComboBox, value: str, label: str) -> None:
        index = combo.findData(value)
        if index < 0:  # detected, but not one of the usual ones: offer it too
            combo.addItem(label, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _read_preview(self, layout: reader.Layout) -> None:
        found = self.attempt(lambda: reader.preview(layout, PREVIEW_ROWS))
        self._readable = found is not None
        self.preview.clear()
        if found is None:
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            self.preview_note.setText("")
            self.completeChanged.emit()
            return
        headers, rows = found
        wizard = self.owner()
        wizard.file_layout, wizard.headers, wizard.sample_rows = layout, headers, rows
        width = max([len(headers), *(len(row.values) for row in rows)])
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows))
        names = headers + [f"(no name {n})" for n in range(len(headers) + 1, width + 1)]
        self.preview.setHorizontalHeaderLabels(names)
        self.preview.setVerticalHeaderLabels([str(row.line) for row in rows])
        for number, row in enumerate(rows):
            for column, value in enumerate(row.values):
                item = QTableWidgetItem(_shown(value))
                item.setToolTip(_shown(value, 1000))
                self.preview.setItem(number, column, item)
        self.preview.resizeColumnsToContents()
        for column in range(width):
            self.preview.setColumnWidth(column, min(self.preview.columnWidth(column), 260))
        rows_word = "row" if len(rows) == 1 else "rows"
        named = "the column names the file gives" if layout.header_row else "numbered columns"
        self.preview_note.setText(
            f"The first {len(rows)} {rows_word} after the column names, with the line each one "
            f"starts on; the headings are {named}."
            if rows
            else "There are no rows after the column names: the file has nothing to import."
        )
        self.completeChanged.emit()


# 3. Which column is which field ----------------------------------------------------------


class ColumnsPage(_Page):
    """One choice of field per column, first guessed from the column names; and how the file
    writes dates and numbers, first guessed from its first rows."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Match the columns to Tandem's fields")
        self.setSubTitle(
            "Say which field each column of your file fills. Tandem guessed from the column "
            "names; change any guess, or choose “Leave out” to skip a column."
        )
        self.combos: list[QComboBox] = []
        self._key: Any = None
        self._guessed_from: Any = None
        self._guessed = Formats()
        self._valid = False
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setColumnStretch(1, 1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.grid_holder)
        self.names_hint = hint(
            "Separate first and last names? Map them to “First name” and “Last name”: Tandem "
            "joins them into the lead's name."
        )
        self.day_first = QComboBox()
        self.day_first.addItem("Day first: 31/12/2026 is the 31st of December", True)
        self.day_first.addItem("Month first: 12/31/2026 is the 31st of December", False)
        self.decimal_comma = QComboBox()
        self.decimal_comma.addItem("1,234.56: a point before the cents", False)
        self.decimal_comma.addItem("1.234,56: a comma before the cents", True)
        formats = QFormLayout()
        formats.addRow("&Dates are written", self.day_first)
        formats.addRow("N&umbers are written", self.decimal_comma)
        self.formats_hint = hint(
            "Guessed from the first rows of the file. Dates written 2026-12-31 read the same "
            "either way."
        )
        formats.addRow("", self.formats_hint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.names_hint)
        layout.addLayout(formats)
        layout.addWidget(self.problem)
        self.day_first.currentIndexChanged.connect(self._on_format_changed)
        self.decimal_comma.currentIndexChanged.connect(self._on_format_changed)

    def initializePage(self) -> None:
        wizard = self.owner()
        key = (wizard.kind, wizard.file_layout, tuple(wizard.headers))
        self.names_hint.setVisible(wizard.kind == "leads")
        if key == self._key:
            return  # back from a later page: keep what the user chose
        self._key = key
        self._guessed_from = None
        self._build(mapping.guess_mapping(wizard.kind, wizard.headers))

    def combo_for(self, header: str) -> QComboBox:
        """The field choice of the column with this name."""
        return self.combos[self.owner().headers.index(header)]

    def isComplete(self) -> bool:
        return self._valid

    def validatePage(self) -> bool:
        return self._valid

    def _build(self, guessed: mapping.Mapping) -> None:
        wizard = self.owner()
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = []
        for column, title in enumerate(("Column in your file", "First values", "Goes into")):
            label = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(label, 0, column)
        fields = FIELDS[wizard.kind]
        for index, header in enumerate(wizard.headers, start=0):
            name = QLabel(header)
            name.setToolTip(f"Column {index + 1}")
            examples = [
                _shown(row.values[index], 40)
                for row in wizard.sample_rows
                if index < len(row.values) and text_of(row.values[index]).strip()
            ][:3]
            sample = hint(" · ".join(examples) if examples else "(empty in the first rows)")
            sample.setWordWrap(False)
            sample.setMinimumWidth(120)
            combo = QComboBox()
            combo.addItem("Leave out", IGNORE)
            for field in fields.values():
                combo.addItem(field.label, field.name)
            combo.setCurrentIndex(combo.findData(guessed.get(index, IGNORE)))
            combo.setAccessibleName(f"Field for the column {header}")
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            name.setBuddy(combo)
            self.grid.addWidget(name, index + 1, 0)
            self.grid.addWidget(sample, index + 1, 1)
            self.grid.addWidget(combo, index + 1, 2)
            self.combos.append(combo)
        self.grid.setRowStretch(len(wizard.headers) + 1, 1)
        self._on_combo_current_index_changed()

    def _on_combo_current_index_changed(self) -> None:
        wizard = self.owner()
        wizard.mapping = {
            index: combo.currentData()
            for index, combo in enumerate(self.combos)
            if combo.currentData() != IGNORE
        }
        self._guess_formats()
        kind, headers, chosen = wizard.kind, wizard.headers, dict(wizard.mapping)
        self._valid = self.succeeds(lambda: mapping.check_mapping(kind, headers, chosen))
        self.completeChanged.emit()

    def _guess_formats(self) -> None:
        """Guess again when a date or number column is added or taken away, unless the user
        chose the formats already."""
        wizard = self.owner()
        fields = FIELDS[wizard.kind]
        watched = tuple(
            (index, name)
            for index, name in sorted(wizard.mapping.items())
            if fields[name].reads in ("date", "datetime", "money", "count", "percent")
        )
        if watched == self._guessed_from:
            return
        layout, kind, chosen = wizard.file_layout, wizard.kind, dict(wizard.mapping)
        assert layout is not None
        guessed = self.attempt(lambda: importer.company_formats(layout, kind, chosen))
        if guessed is None:
            return
        self._guessed_from, self._guessed = watched, guessed
        for combo, value in (
            (self.day_first, guessed.day_first),
            (self.decimal_comma, guessed.decimal_comma),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(value))
            combo.blockSignals(False)
        self._on_format_changed()

    def _on_format_changed(self) -> None:
        self.owner().formats = replace(
            self._guessed,
            day_first=bool(self.day_first.currentData()),
            decimal_comma=bool(self.decimal_comma.currentData()),
        )


# 4. Duplicates and bad rows ----------------------------------------------------------------


class OptionsPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose what happens to repeats and to rows with problems")
        self.setSubTitle(
            "Nothing is imported yet: next comes a dry run that shows what would happen."
        )
        self.duplicates_box = QGroupBox()
        self.skip = QRadioButton("&Skip the row")
        self.update_ = QRadioButton("&Update the one in Tandem with the row's values")
        self.new = QRadioButton("Import the row as a ne&w one anyway")
        self.duplicate_hints = (
            hint(),
            hint(
                "Filled-in cells replace what Tandem has; empty cells change nothing. Handy "
                "for bringing a list up to date."
            ),
            hint("You may end up with the same one twice."),
        )
        self.duplicate_choices = QButtonGroup(self)
        box = QVBoxLayout(self.duplicates_box)
        for number, (button, explanation) in enumerate(
            zip((self.skip, self.update_, self.new), self.duplicate_hints, strict=True)
        ):
            self.duplicate_choices.addButton(button, number)
            box.addWidget(button)
            explanation.setContentsMargins(22, 0, 0, 6)
            box.addWidget(explanation)
        self.skip.setChecked(True)

        self.bad_rows_box = QGroupBox("If some rows have problems (a date that is not a date, …)")
        self.good_rows = QRadioButton("Import the &good rows and list the bad ones")
        self.nothing = QRadioButton("Import n&othing until every row is right")
        self.bad_row_choices = QButtonGroup(self)
        box = QVBoxLayout(self.bad_rows_box)
        for number, (button, sentence) in enumerate(
            (
                (
                    self.good_rows,
                    "You can save the list of bad rows, fix them and import those later.",
                ),
                (self.nothing, "The database stays exactly as it is if any row has a problem."),
            )
        ):
            self.bad_row_choices.addButton(button, number)
            box.addWidget(button)
            words = hint(sentence)
            words.setContentsMargins(22, 0, 0, 6)
            box.addWidget(words)
        self.good_rows.setChecked(True)

        self.campaigns = QCheckBox("&Create the campaigns a row names that Tandem does not have")
        self.campaigns_hint = hint(
            "Otherwise a row naming a campaign Tandem does not know is listed as a problem."
        )
        self.campaigns_hint.setContentsMargins(22, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.bad_rows_box)
        layout.addWidget(self.campaigns)
        layout.addWidget(self.campaigns_hint)
        layout.addStretch()

    def initializePage(self) -> None:
        kind = self.owner().kind
        one = SINGULAR[kind]
        self.duplicates_box.setTitle(
            f"If a row matches a {one} already in Tandem ({SAME_RECORD[kind]})"
        )
        self.duplicate_hints[0].setText(
            f"The {one} in Tandem stays as it is. Importing the same file twice adds nothing."
        )
        self.update_.setText(f"&Update the {one} in Tandem with the row's values")
        self.new.setText(f"Import the row as a ne&w {one} anyway")
        self.duplicate_hints[2].setText(f"You may end up with the same {one} twice.")
        for widget in (self.campaigns, self.campaigns_hint):
            widget.setVisible(kind == "leads")

    def on_duplicate(self) -> str:
        return ("skip", "update", "new")[max(self.duplicate_choices.checkedId(), 0)]

    def all_or_nothing(self) -> bool:
        return self.nothing.isChecked()

    def create_campaigns(self) -> bool:
        return self.owner().kind == "leads" and self.campaigns.isChecked()


# The report, on the dry-run page and the last page --------------------------------------


class ReportView(QWidget):
    """An import's counts in a sentence, and its row errors in a table that can be saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome: ImportOutcome | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tiles: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for name in COUNTS:
            tile = QLabel()
            tile.setObjectName("tile")
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tiles.addWidget(tile)
            self.tiles[name] = tile
        self.errors_title = QLabel()
        self.errors = QTableWidget(0, 4)
        self.errors.setHorizontalHeaderLabels(["Line", "Column", "Value", "Reason"])
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.errors.setAlternatingRowColors(True)
        self.errors.verticalHeader().hide()
        header = self.errors.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the reason: the column that matters most
        self.errors.setColumnWidth(0, 60)
        self.errors.setColumnWidth(1, 120)
        self.errors.setColumnWidth(2, 130)
        self.save_button = QPushButton("Save errors as &CSV…")
        self.saved = QLabel()
        self.saved.setObjectName("savedNote")
        self.saved.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.errors_title, 1)
        row.addWidget(self.save_button)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(tiles)
        self.box.addWidget(self.summary)
        self.box.addSpacing(6)
        self.box.addLayout(row)
        self.box.addWidget(self.errors)
        self.box.addWidget(self.saved)
        self.box.addStretch()  # takes the room the table leaves when there are no errors
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.clear()

    def clear(self) -> None:
        self.outcome = None
        self.summary.clear()
        self.saved.clear()
        self.errors.setRowCount(0)
        for widget in (self.errors_title, self.errors, self.save_button, *self.tiles.values()):
            widget.hide()
        self._table_takes_room(False)

    def _table_takes_room(self, takes: bool) -> None:
        self.box.setStretchFactor(self.errors, 1 if takes else 0)
        self.box.setStretch(self.box.count() - 1, 0 if takes else 1)

    def tile_text(self, name: str) -> str:
        """A count as its tile shows it, in one line: '2 new'."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.tiles[name].text()).split())

    def show_outcome(self, outcome: ImportOutcome, summary: str) -> None:
        self.clear()
        self.outcome = outcome
        report = outcome.report
        self.summary.setText(summary)
        for name, words in COUNTS.items():
            tile = self.tiles[name]
            tile.setText(f"<b>{getattr(report, name):,}</b><br>{words}")
            tile.show()
        if not report.error_count:
            return
        shown = len(report.errors)
        rows = "row" if report.rejected == 1 else "rows"
        title = f"<b>Problems</b> ({report.rejected:,} {rows} rejected)"
        if shown < report.error_count:
            title += (
                f": the first {shown:,} of {report.error_count:,} are listed; the saved file "
                "holds them all"
            )
        self.errors_title.setText(title)
        self.errors.setRowCount(shown)
        for number, error in enumerate(report.errors):
            cells = (f"{error.line:,}", error.column, _shown(error.value, 200), error.reason)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.errors.setItem(number, column, item)
        self.errors.resizeRowsToContents()  # a long reason wraps instead of being cut off
        for widget in (self.errors_title, self.errors, self.save_button):
            widget.show()
        self._table_takes_room(True)

    def error_rows(self) -> list[tuple[str, str, str, str]]:
        """The table as shown: line, column, value, reason."""
        rows = []
        for row in range(self.errors.rowCount()):
            items = [self.errors.item(row, column) for column in range(4)]
            line, column, value, reason = (item.text() if item else "" for item in items)
            rows.append((line, column, value, reason))
        return rows

    def _on_save_button_clicked(self) -> None:
        self.save_errors()

    def save_errors(self, path: Path | None = None) -> bool:
        """Save every row error as CSV, asking where unless told."""
        if self.outcome is None:
            return False
        report = self.outcome.report
        if path is None:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            stem = Path(report.file).stem or "import"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, "Save errors as CSV", str(Path(folder) / f"{stem}-errors.csv"), "CSV (*.csv)"
            )
            if not chosen:
                return False
            path = Path(chosen)
            if path.suffix.lower() != ".csv":
                path = path.with_name(path.name + ".csv")
        errors_file = self.outcome.errors_file
        try:
            if errors_file is not None and errors_file.exists():
                with replaced_on_success(path) as partial:
                    shutil.copyfile(errors_file, partial)
            else:
                save_errors(report.errors, path)
        except Exception as exc:
            show_problem(self, exc, "Cannot save the errors")
            return False
        count = report.error_count if errors_file is not None else len(report.errors)
        self.saved.setText(f"Saved {count:,} {'error' if count == 1 else 'errors'} to {path}.")
        return True


# 5. The dry run ----------------------------------------------------------------------------


class CheckPage(_Page):
    """Reads the whole file in the background as the import would, changing nothing; Import
    (this page's commit button) then runs the import proper."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Dry run: what the import would do")
        self.setSubTitle(
            "Tandem reads the whole file as the import would, without changing anything. Check "
            "the figures and the problems, then press Import."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self._job: Job | None = None
        self.outcome: ImportOutcome | None = None  # the dry run's
        self.last_import: ImportOutcome | None = None  # the import's, once it ran
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.report = ReportView()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        self.stop()  # back to the options: this reading is of no use any more

    def start(self) -> None:
        self.stop()
        self.outcome = None
        self.say("")
        self.report.clear()
        self.verdict.clear()
        self.status.setText("Reading the file…")
        self.progress.setRange(0, 0)
        self.progress.show()
        wizard = self.owner()
        job = Job(wizard.work(wizard.import_options(dry_run=True)), self)
        job.progressed.connect(self._on_job_progressed)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(job.deleteLater)
        self._job = job
        self.completeChanged.emit()
        job.start()

    def stop(self) -> None:
        """End a dry run still reading; its results, arriving late, are ignored."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
            job.wait()

    def is_running(self) -> bool:
        return self._job is not None

    def _on_job_progressed(self, done: int, total: int) -> None:
        if self.sender() is not self._job:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))
        self.status.setText(f"Reading the file… {done:,} of about {total:,} rows so far.")

    def _on_job_succeeded(self, outcome: ImportOutcome) -> None:
        if self.sender() is not self._job:
            return
        self._job = None
        self.outcome = outcome
        report = outcome.report
        self.progress.hide()
        self.status.clear()
        self.report.show_outcome(outcome, f"<b>{report.summary()}</b>")
        one = SINGULAR[report.kind]
        if report.rolled_back:
            self.verdict.setText(
                "You chose to import nothing while any row has a problem, so Import would "
                "change nothing. Save the errors, fix those rows (or go Back and choose to "
                "import the good rows), then try again."
            )
        elif not report.imported + report.updated:
            self.verdict.setText(
                f"No {one} would be added or changed, so there is nothing to import."
            )
        else:
            left_out = (
                f" The {report.rejected:,} {'row' if report.rejected == 1 else 'rows'} with "
                "problems will be left out."
                if report.rejected
                else ""
            )
            self.verdict.setText(
                f"Press Import to do this for real.{left_out} A backup of the database is made "
                "first, and you can cancel while it runs: then nothing is changed."
            )
        self.completeChanged.emit()

    def _on_job_failed(self, exc: BaseException) -> None:
        if self.sender() is not self._job:
            return
        self._job = None
        self.progress.hide()
        self.status.clear()
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, UserError):
            self.say(str(exc))
        else:
            show_problem(self, exc, "Import")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        report = self.outcome.report if self.outcome else None
        return bool(report and not report.rolled_back and report.imported + report.updated)

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        try:
            self.last_import = self.owner().run_import()
        except Cancelled:
            self.say("You cancelled the import. Nothing was changed.")
            return False
        except UserError as exc:
            self.say(f"{exc} Nothing was changed.")
            return False
        except Exception as exc:
            show_problem(self, exc, "Import")
            return False
        return True


# 6. The result -----------------------------------------------------------------------------


class DonePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Import finished")
        self.report = ReportView()
        self.backup = hint()
        self.backup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.backup)

    def initializePage(self) -> None:
        wizard = self.owner()
        outcome = wizard.check_page.last_import
        if outcome is None:
            return
        report = outcome.report
        self.setTitle("Nothing was imported" if not report.kept else "Import finished")
        self.setSubTitle(
            f"From {report.file}. What Tandem did is below"
            + (", with the rows it could not take." if report.error_count else ".")
        )
        self.report.show_outcome(outcome, f"<b>{report.summary()}</b>")
        self.backup.setText(
            f"A copy of the database as it was before the import is kept at {report.backup}."
            if report.backup
            else ""
        )
