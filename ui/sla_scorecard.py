"""A month's SLA scorecard: marketing's and sales' promises side by side, then each person."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sla import Figure, MemberCard, Scorecard
from ui.sla_clocks_list import business_duration

MET = QColor("#2e7d32")
MISSED = QColor("#b3261e")
PENDING = QColor("#9aa8b2")
INK = QColor("#1f3a4d")
MUTED = QColor("#5b6b76")
CLOCK_KINDS = ("first_response", "decision", "follow_up")
TITLES = {
    "lead_volume": "Lead volume",
    "lead_acceptance": "Lead acceptance",
    "first_response": "First response",
    "decision": "Decision",
    "follow_up": "Follow-up",
    "revenue": "Revenue",
}
SIDES = (
    ("marketing", "Marketing's promises to sales", ("lead_volume", "lead_acceptance")),
    ("sales", "Sales' promises to marketing", ("first_response", "decision", "follow_up")),
)
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def compact(value: float) -> str:
    """Money in a narrow cell: 120.2k, 1.3M; the tooltip holds the exact sum."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f}".removesuffix(".0") + "M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:,.1f}".removesuffix(".0") + "k"
    return number(value)


def hours(value: float) -> str:
    return f"{number(value)} business hour{'s' if value != 1 else ''}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{number(value)}%"


def verdict(figure: Figure) -> tuple[str, QColor]:
    """A once-a-month promise's standing: met, missed, not yet judged, or no promise at all."""
    if not figure.target:
        return "No promise", PENDING
    if figure.met:
        return "Met", MET
    if figure.breached:
        return "Missed", MISSED
    return "Not yet judged", PENDING


def sentence(figure: Figure, currency: str) -> tuple[str, str]:
    """The figure in plain words: a headline and a line of detail."""
    kind, target, actual = figure.kind, figure.target, figure.actual
    judged = figure.met + figure.breached
    if kind == "lead_volume":
        count = int(actual or 0)
        said = f"Marketing handed over {count:,} qualified lead{'s' if count != 1 else ''}"
        if not target:
            return f"{said}.", "No number of leads was promised for this month."
        return f"{said}; the promise is at least {number(target)} a month.", _month_note(figure)
    if kind == "lead_acceptance":
        if not target:
            return "No acceptance rate was promised.", ""
        if actual is None:
            return (
                f"Sales has decided on none of the month's leads yet (promise: at least "
                f"{number(target)}% accepted).",
                _month_note(figure),
            )
        return (
            f"Sales accepted {percent(actual)} of the leads it decided on; the promise is at "
            f"least {number(target)}%.",
            _month_note(figure),
        )
    if kind == "revenue":
        won = f"The team won {number(actual or 0)} {currency}"
        if not target:
            return f"{won}.", "No revenue target for this month."
        return f"{won}; the target is {number(target)} {currency}.", _month_note(figure)
    if not target:
        return f"Nothing was promised for {TITLES[kind].lower()}.", ""
    still = f"{figure.pending:,} still running" if figure.pending else ""
    if kind == "follow_up":
        if not judged:
            return (
                f"No lead was given up as unresponsive this month (promise: at least "
                f"{number(target)} contact attempts first).",
                "",
            )
        return (
            f"Sales tried at least {number(target)} times before giving up on "
            f"{percent(figure.compliance)} of the leads it gave up as unresponsive.",
            f"{figure.met:,} given up after enough attempts, {figure.breached:,} too soon.",
        )
    doing = "answered" if kind == "first_response" else "accepted or rejected (with a reason)"
    if not judged:
        headline = (
            f"No lead has been {doing} or run out of time yet (promise: within {hours(target)})."
        )
        return headline, still.capitalize() + "." if still else ""
    headline = (
        f"Sales {doing} {percent(figure.compliance)} of handed-over leads within {hours(target)}."
    )
    parts = [f"{figure.met:,} in time", f"{figure.breached:,} late"] + ([still] if still else [])
    return headline, ", ".join(parts) + "."


def _month_note(figure: Figure) -> str:
    if figure.pending:
        return "Judged when the month ends."
    return ""


def spread(median: float | None, p90: float | None) -> str:
    if median is None:
        return "No first responses yet."
    text = f"Half were answered within {business_duration(median)}"
    if p90 is not None:
        text += f", 9 in 10 within {business_duration(p90)}"
    return text + " (business time)."


def figure_item(figure: Figure) -> QTableWidgetItem:
    """A figure in a table cell: counts and a bar for clocks, a coloured value otherwise."""
    kind = figure.kind
    if kind in CLOCK_KINDS:
        judged = figure.met + figure.breached
        text = f"{percent(figure.compliance)} ({figure.met:,} of {judged:,})" if judged else "—"
        item = QTableWidgetItem(text)
        item.setData(COUNTS_ROLE, (figure.met, figure.breached, figure.pending))
        item.setToolTip(
            f"{figure.met:,} in time · {figure.breached:,} late · {figure.pending:,} still running"
        )
        return item
    if kind == "lead_volume":
        text = f"{number(figure.actual or 0)}"
        if figure.target:
            text += f" of {number(figure.target)}"
    elif kind == "lead_acceptance":
        text = percent(figure.actual)
    else:
        text = compact(figure.actual or 0)
        if figure.target:
            text += f" of {compact(figure.target)}"
    item = QTableWidgetItem(text)
    standing, colour = verdict(figure)
    if figure.target and (figure.met or figure.breached):
        item.setForeground(colour)
    exact = f"{number(figure.actual or 0)}" + (
        f" of {number(figure.target)}" if figure.target else ""
    )
    item.setToolTip(f"{exact}: {standing.lower()}" if kind == "revenue" else standing)
    return item


def set_header(table: QTableWidget, column: int, text: str, tip: str = "") -> None:
    item = table.horizontalHeaderItem(column)
    if item is not None:
        item.setText(text)
        item.setToolTip(tip)


class ComplianceBar(QWidget):
    """Met in green, late in red, still running in grey: how a promise's clocks stand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = (0, 0, 0)
        self.setFixedHeight(10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(200, 10)

    def show_counts(self, met: int, breached: int, pending: int) -> None:
        self.counts = (met, breached, pending)
        self.setToolTip(f"{met:,} met · {breached:,} late · {pending:,} still running")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_counts(painter, self.rect(), self.counts)
        painter.end()


def paint_counts(painter: QPainter, rect: QRect, counts: tuple[int, int, int]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#edf1f4"))
    painter.drawRoundedRect(rect, 3, 3)
    total = sum(counts)
    if not total:
        return
    left = float(rect.left())
    for count, colour in zip(counts, (MET, MISSED, PENDING), strict=True):
        if not count:
            continue
        width = rect.width() * count / total
        painter.setBrush(colour)
        painter.drawRect(QRect(round(left), rect.top(), max(1, round(width)), rect.height()))
        left += width


class PromiseRow(QWidget):
    """One commitment: its name, its standing, a plain sentence and its figures."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.title = QLabel(f"<b>{TITLES[kind]}</b>")
        self.badge = QLabel()
        self.badge.setObjectName("verdict")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setStyleSheet("color: #1f3a4d; font-size: 10.5pt;")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel()
        self.detail.setStyleSheet("color: #5b6b76;")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = ComplianceBar()
        self.bar.setVisible(kind in CLOCK_KINDS)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)

    def show_figure(self, figure: Figure, currency: str, extra: str = "") -> None:
        headline, detail = sentence(figure, currency)
        self.headline.setText(headline)
        self.detail.setText(" ".join(part for part in (detail, extra) if part))
        self.detail.setVisible(bool(self.detail.text()))
        if figure.kind in CLOCK_KINDS:
            self.bar.show_counts(figure.met, figure.breached, figure.pending)
            judged = figure.met + figure.breached
            if not figure.target:
                text, colour = "No promise", PENDING
            elif judged:
                text, colour = f"{percent(figure.compliance)} kept", INK
            else:
                text, colour = "Not yet judged", PENDING
        else:
            text, colour = verdict(figure)
        self.badge.setText(text)
        self.badge.setStyleSheet(f"color: {colour.name()}; font-weight: 600;")


class SideCard(QFrame):
    """One side's promises, under a heading."""

    def __init__(self, title: str, kinds: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sideCard")
        self.setStyleSheet(
            "QFrame#sideCard { background: #f7f9fb; border: 1px solid #d8e1e7; "
            "border-radius: 8px; }"
        )
        heading = QLabel(title)
        heading.setStyleSheet("color: #1f3a4d; font-size: 12pt; font-weight: 600;")
        self.rows = {kind: PromiseRow(kind) for kind in kinds}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(heading)
        for row in self.rows.values():
            layout.addWidget(row)
        layout.addStretch(1)


PEOPLE_COLUMNS = (
    ("Person", None),
    ("Leads\nhanded over", "lead_volume"),
    ("Accepted\nby sales", "lead_acceptance"),
    ("First response\nin time", "first_response"),
    ("Decision\nin time", "decision"),
    ("Follow-up\nkept", "follow_up"),
    ("Half answered\nwithin", None),
    ("9 in 10 answered\nwithin", None),
    ("Revenue\nwon", "revenue"),
)
PEOPLE_TIPS = {
    "Half answered\nwithin": "The median first response, in business time",
    "9 in 10 answered\nwithin": "The 90th percentile of first responses, in business time",
    "Leads\nhanded over": "Qualified leads this person handed to sales (against their own "
    "target, when the month's plan sets one)",
}


class CountsDelegate(QStyledItemDelegate):
    """Paints a thin met/late/running bar under a cell's text when the cell carries counts."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        counts = index.data(COUNTS_ROLE)
        if not counts or not sum(counts):
            return
        rect = option.rect.adjusted(6, option.rect.height() - 8, -6, -3)
        painter.save()
        paint_counts(painter, rect, tuple(counts))
        painter.restore()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if index.data(COUNTS_ROLE):
            option.state &= ~QStyle.StateFlag.State_HasFocus


class ScorecardView(QWidget):
    """The month's promises of both sides, the shared revenue, and a table of people."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scorecard: Scorecard | None = None
        self.basis = QLabel()
        self.basis.setObjectName("promise")
        self.basis.setWordWrap(True)
        self.cards = {side: SideCard(title, kinds) for side, title, kinds in SIDES}
        self.shared = SideCard("Shared", ("revenue",))
        self.rows = {kind: row for card in self.cards.values() for kind, row in card.rows.items()}
        self.rows["revenue"] = self.shared.rows["revenue"]
        self.people = QTableWidget(0, len(PEOPLE_COLUMNS))
        self.people.setObjectName("peopleTable")
        self.people.setItemDelegate(CountsDelegate(self.people))
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.people.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.people.verticalHeader().hide()
        self.people.verticalHeader().setDefaultSectionSize(32)
        self.people.setHorizontalHeaderLabels([header for header, _kind in PEOPLE_COLUMNS])
        for column, (header, _kind) in enumerate(PEOPLE_COLUMNS):
            set_header(self.people, column, header, PEOPLE_TIPS.get(header, ""))
        columns = self.people.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.people.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people_title = QLabel("<b>Each person</b> — every one keeps their own side's promises")

        sides = QGridLayout()
        sides.setHorizontalSpacing(12)
        sides.addWidget(self.cards["marketing"], 0, 0)
        sides.addWidget(self.cards["sales"], 0, 1, 2, 1)
        sides.addWidget(self.shared, 1, 0)
        sides.setColumnStretch(0, 1)
        sides.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.basis)
        layout.addLayout(sides)
        layout.addWidget(self.people_title)
        layout.addWidget(self.people)

    def show_scorecard(self, card: Scorecard, currency: str, month_title: str) -> None:
        self.scorecard = card
        if card.agreement is None:
            self.basis.setText(
                f"No agreement between marketing and sales was in force in {month_title}: "
                "nothing was promised, so nothing is judged."
            )
        else:
            self.basis.setText(
                f"{month_title}, judged on the agreement in force from "
                f"{card.agreement.effective_from:%d %B %Y}. Each clock counts only the team's "
                "working hours."
            )
        for kind, row in self.rows.items():
            extra = ""
            if kind == "first_response" and card.figures[kind].target:
                extra = spread(card.response_median_minutes, card.response_p90_minutes)
            row.show_figure(card.figures[kind], currency, extra)
        self._show_people(card.members, currency)

    def _show_people(self, members: list[MemberCard], currency: str) -> None:
        set_header(self.people, len(PEOPLE_COLUMNS) - 1, f"Revenue won\n({currency})")
        self.people.setRowCount(len(members))
        for row, member in enumerate(members):
            cells: list[QTableWidgetItem] = []
            for header, kind in PEOPLE_COLUMNS:
                if header == "Person":
                    cells.append(QTableWidgetItem(f"{member.name} · {member.role}"))
                elif header.startswith("Half"):
                    cells.append(self._duration(member.response_median_minutes, member))
                elif header.startswith("9 in 10"):
                    cells.append(self._duration(member.response_p90_minutes, member))
                elif kind in member.figures:
                    cells.append(figure_item(member.figures[kind]))
                else:
                    cells.append(QTableWidgetItem(""))
            for column, item in enumerate(cells):
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.people.setItem(row, column, item)
        height = self.people.horizontalHeader().sizeHint().height() + 4
        height += sum(self.people.rowHeight(row) for row in range(len(members)))
        self.people.setFixedHeight(max(height, 60))

    @staticmethod
    def _duration(minutes: float | None, member: MemberCard) -> QTableWidgetItem:
        if "first_response" not in member.figures:
            return QTableWidgetItem("")
        return QTableWidgetItem("—" if minutes is None else business_duration(minutes))

    def texts(self) -> dict[str, str]:
        """Each commitment's headline as shown (for tests and the screen reader)."""
        return {kind: row.headline.text() for kind, row in self.rows.items()}

    def sizeHint(self) -> QSize:
        return QSize(900, super().sizeHint().height())
