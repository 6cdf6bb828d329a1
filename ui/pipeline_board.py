"""The pipeline board: a column of deal cards per open stage, and Won and Lost to drop them on."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.models import OPEN_DEAL_STAGES
from app.pipeline import Card, Money, StageTotals

DEAL_MIME = "application/x-tandem-deal"
CARD_ROLE = Qt.ItemDataRole.UserRole
STAGE_TITLES = {
    "qualification": "Qualification",
    "proposal": "Proposal",
    "negotiation": "Negotiation",
    "won": "Won",
    "lost": "Lost",
}
Index = QModelIndex | QPersistentModelIndex

INK = QColor("#1f3a4d")
MUTED = QColor("#5b6b76")
LATE = QColor("#b3261e")
EDGE = QColor("#d8e1e7")
CHOSEN = QColor("#2f6f9a")

# The board's own look, kept beside the widgets it styles.
BOARD_STYLE = """
QFrame#stageColumn { background: #f4f7f9; border: 1px solid #d8e1e7; border-radius: 8px; }
QLabel#stageTitle { font-size: 11.5pt; font-weight: 600; color: #1f3a4d; }
QLabel#stageCount { color: #5b6b76; font-size: 10.5pt; }
QLabel#stageFigures { color: #1f3a4d; }
QLabel#moreCards { color: #5b6b76; }
QListView#cardList { background: transparent; border: none; outline: 0; }
QListView#cardList QScrollBar:vertical { background: transparent; width: 8px; margin: 0; }
QListView#cardList QScrollBar::handle:vertical {
    background: #c3ced6; border-radius: 4px; min-height: 24px;
}
QListView#cardList QScrollBar::add-line:vertical, QListView#cardList QScrollBar::sub-line:vertical {
    height: 0;
}
QListView#cardList QScrollBar::add-page:vertical, QListView#cardList QScrollBar::sub-page:vertical {
    background: transparent;
}
QFrame#dropTarget { border: 2px dashed #b8c4cc; border-radius: 8px; background: #fafbfc; }
QFrame#dropTarget[hot="true"] { border-color: #2f6f9a; background: #e8f1f8; }
QFrame#dropTarget QLabel { color: #5b6b76; }
QFrame#dropTarget QLabel#targetTitle { color: #1f3a4d; font-size: 11.5pt; font-weight: 600; }
"""


# Money in words and figures -------------------------------------------------------------------


def money(amount: Decimal, currency: str) -> str:
    """4,800 EUR; cents only when there are some."""
    cents = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{cents:,.0f}" if cents == cents.to_integral_value() else f"{cents:,.2f}"
    return f"{text} {currency}"


def compact(amount: Decimal) -> str:
    """12.3M, 45.6k, 980: column headers have little room (the tooltip holds the exact sum)."""
    for limit, suffix in ((Decimal(1_000_000), "M"), (Decimal(1_000), "k")):
        if abs(amount) >= limit:
            return f"{amount / limit:,.1f}{suffix}"
    return f"{amount:,.0f}"


def ordered_currencies(*totals: Money, first: str) -> list[str]:
    """The currencies present, the company currency first; just that one when none is."""
    present = {c for total in totals for c in total}
    others = sorted(present - {first})
    return [first, *others] if first in present or not others else others


# Cards ------------------------------------------------------------------------------------------


def encode_deal(deal_id: int, stage: str) -> QMimeData:
    """What a dragged card carries: its deal and the column it left."""
    data = QMimeData()
    data.setData(DEAL_MIME, QByteArray(f"{deal_id}:{stage}".encode()))
    return data


def decode_deal(data: QMimeData) -> tuple[int, str] | None:
    if not data.hasFormat(DEAL_MIME):
        return None
    text = bytes(data.data(DEAL_MIME).data()).decode(errors="replace")
    deal_id, _, stage = text.partition(":")
    return (int(deal_id), stage) if deal_id.isdigit() else None


class CardListModel(QAbstractListModel):
    """The cards of one column, as plain tuples read by app.pipeline.cards()."""

    def __init__(self, stage: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._cards: list[Card] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == CARD_ROLE:
            return card
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return card_words(card)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def mimeTypes(self) -> list[str]:
        return [DEAL_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = [i.row() for i in indexes if i.isValid() and i.row() < len(self._cards)]
        if not rows:
            return QMimeData()
        return encode_deal(self._cards[rows[0]].id, self.stage)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def set_cards(self, cards: list[Card]) -> None:
        self.beginResetModel()
        self._cards = list(cards)
        self.endResetModel()

    def row_of(self, deal_id: int) -> int | None:
        for row, card in enumerate(self._cards):
            if card.id == deal_id:
                return row
        return None


def card_words(card: Card) -> str:
    """The card read out in a sentence (tooltip and screen readers)."""
    close = (
        f"expected to close {card.expected_close:%d %b %Y}"
        if card.expected_close
        else ("no close date")
    )
    owner = f", owned by {card.owner}" if card.owner else ""
    customer = f" with {card.customer}" if card.customer else ""
    return (
        f"{card.title}{customer}: {money(card.value, card.currency)} at {card.probability}%, "
        f"{close}{owner}; {card.days_in_stage} days in this stage"
    )


class _Type:
    """The card's two fonts and their metrics, made once per view font (painting is hot)."""

    def __init__(self, font: QFont) -> None:
        self.bold = QFont(font)
        self.bold.setWeight(QFont.Weight.DemiBold)
        self.small = QFont(font)
        self.small.setPointSizeF(max(font.pointSizeF() - 0.5, 7))
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)


class CardDelegate(QStyledItemDelegate):
    """Paints a card: title, customer, value and chance, close date, owner, days in stage."""

    PAD = 9
    GAP = 6  # between cards

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.today: Any = None  # the company's today: close dates before it show as late
        self._types: dict[str, _Type] = {}

    def _type(self, option: QStyleOptionViewItem) -> _Type:
        key = option.font.key()
        if key not in self._types:
            self._types[key] = _Type(option.font)
        return self._types[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        kind = self._type(option)
        height = kind.bold_metrics.height() + 3 * kind.small_metrics.height() + 6
        return QSize(200, height + 2 * self.PAD + self.GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: Card | None = index.data(CARD_ROLE)
        if card is None:
            return
        kind = self._type(option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = option.rect.adjusted(1, 1, -2, -self.GAP)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(CHOSEN if selected else EDGE, 2 if selected else 1))
        painter.setBrush(QColor("#e8f1f8") if selected else QColor("white"))
        painter.drawRoundedRect(box, 6, 6)

        inner = box.adjusted(self.PAD, self.PAD - 2, -self.PAD, -self.PAD)
        bold_height = kind.bold_metrics.height()
        line = kind.small_metrics.height() + 2
        title = QRect(inner.left(), inner.top(), inner.width(), bold_height)
        self._text(painter, kind.bold, kind.bold_metrics, INK, title, card.title)
        row = QRect(inner.left(), inner.top() + bold_height + 2, inner.width(), line)
        small, metrics = kind.small, kind.small_metrics
        self._text(painter, small, metrics, MUTED, row, card.customer or "No customer")
        row.translate(0, line)
        late = (
            card.expected_close is not None
            and self.today is not None
            and card.expected_close < self.today
        )
        # The value and the chance matter most: they keep their room; the close date and the
        # days in stage shorten first, then elide.
        value = f"{money(card.value, card.currency)} · {card.probability}%"
        value_width = self._text(painter, small, metrics, INK, row, value)
        close_box = row.adjusted(value_width + 8, 0, 0, 0)
        close = self._fit(metrics, close_box.width(), self._close_words(card))
        self._text(painter, small, metrics, LATE if late else MUTED, close_box, close, right=True)
        row.translate(0, line)
        days = self._fit(
            metrics,
            row.width() // 2,
            [f"{card.days_in_stage} d in stage", f"{card.days_in_stage} d"],
        )
        days_width = self._text(painter, small, metrics, MUTED, row, days, right=True)
        owner_box = row.adjusted(0, 0, -days_width - 8, 0)
        self._text(painter, small, metrics, MUTED, owner_box, card.owner or "—")
        painter.restore()

    def _close_words(self, card: Card) -> list[str]:
        """Ways to say the close date, longest first."""
        close = card.expected_close
        if close is None:
            return ["no close date", "no date", ""]
        this_year = self.today is not None and close.year == self.today.year
        day = f"{close.day} {close:%b}" + ("" if this_year else f" {close:%Y}")
        # Nothing at all rather than an elided date: the tooltip still says it.
        return [f"closes {day}", day, f"{close.day} {close:%b}", ""]

    @staticmethod
    def _fit(metrics: QFontMetrics, width: int, choices: list[str]) -> str:
        for text in choices:
            if metrics.horizontalAdvance(text) <= width:
                return text
        return choices[-1]

    @staticmethod
    def _text(
        painter: QPainter,
        font: QFont,
        metrics: QFontMetrics,
        colour: QColor,
        box: QRect,
        text: str,
        right: bool = False,
    ) -> int:
        """Draw one line, elided to the box; returns the width drawn."""
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(box.width(), 0))
        painter.setFont(font)
        painter.setPen(colour)
        align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
        return metrics.horizontalAdvance(shown)


class CardList(QListView):
    """One column's cards. Cards drag out; cards from other columns drop in.

    Signals: deal_dropped(deal_id) after the drag has ended (so a dialog may open);
    step_requested(step) for Left/Right: the user walks to the neighbouring column;
    open_pressed(index) for Enter on a card."""

    deal_dropped = Signal(int)
    step_requested = Signal(int)
    open_pressed = Signal(QModelIndex)

    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName("cardList")
        self.setModel(CardListModel(stage, self))
        self.setItemDelegate(CardDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setAccessibleName(f"{STAGE_TITLES[stage]} cards")

    def card_model(self) -> CardListModel:
        model = self.model()
        assert isinstance(model, CardListModel)
        return model

    def _foreign_deal(self, data: QMimeData) -> int | None:
        """The deal a drag carries, unless it comes from this very column."""
        decoded = decode_deal(data)
        if decoded is None or decoded[1] == self.stage:
            return None
        return decoded[0]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._foreign_deal(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._foreign_deal(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        deal_id = self._foreign_deal(event.mimeData())
        if deal_id is None:
            event.ignore()
            return
        # Copy, not Move: the view that started the drag must not delete the row itself; the
        # board reloads from the database once the move is done.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        QTimer.singleShot(0, lambda: self.deal_dropped.emit(deal_id))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.step_requested.emit(1 if event.key() == Qt.Key.Key_Right else -1)
            return
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.open_pressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


# Columns and targets ----------------------------------------------------------------------------


class StageColumn(QFrame):
    """One open stage: its name, count, value and weighted value, and its first cards."""

    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName("stageColumn")
        self.title = QLabel(STAGE_TITLES[stage])
        self.title.setObjectName("stageTitle")
        self.count = QLabel("…")
        self.count.setObjectName("stageCount")
        self.figures = QLabel(" ")
        self.figures.setObjectName("stageFigures")
        self.figures.setTextFormat(Qt.TextFormat.PlainText)
        self.figures.setWordWrap(True)
        self.cards = CardList(stage)
        self.more = QLabel()
        self.more.setObjectName("moreCards")
        self.more.setWordWrap(True)
        self.more.hide()
        self._total: int | None = None  # open deals in the stage, once the figures are in
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch()
        heading.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(4)
        layout.addLayout(heading)
        layout.addWidget(self.figures)
        layout.addWidget(self.cards, 1)
        layout.addWidget(self.more)

    def show_cards(self, cards: list[Card]) -> None:
        self.cards.card_model().set_cards(cards)
        self._show_more()

    def show_totals(self, totals: StageTotals, currency: str) -> None:
        self._total = totals.count
        self.count.setText(f"{totals.count:,}")
        self.count.setToolTip(f"{totals.count:,} open deal{'s' if totals.count != 1 else ''}")
        lines, exact = [], []
        for code in ordered_currencies(totals.value, first=currency):
            value = totals.value.get(code, Decimal(0))
            weighted = totals.weighted.get(code, Decimal(0))
            lines.append(f"{compact(value)} {code} · weighted {compact(weighted)}")
            exact.append(f"{money(value, code)}, weighted {money(weighted, code)}")
        self.figures.setText("\n".join(lines))
        self.figures.setToolTip(
            "Value of the open deals in this stage, and that value times each deal's "
            "probability:\n" + "\n".join(exact)
        )
        self._show_more()

    def _show_more(self) -> None:
        shown = self.cards.card_model().rowCount()
        hidden = (shown if self._total is None else self._total) - shown
        self.more.setVisible(hidden > 0)
        self.more.setText(f"and {hidden:,} more — narrow them down in the list" if hidden else "")


class DropTarget(QFrame):
    """Won or Lost: cards dropped here close the deal.

    Signals: deal_dropped(deal_id) after the drag has ended."""

    deal_dropped = Signal(int)

    def __init__(self, target: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setObjectName("dropTarget")
        self.setAcceptDrops(True)
        self.setProperty("hot", False)
        self.setAccessibleName(f"Drop here to mark a deal {target}")
        title = QLabel(STAGE_TITLES[target])
        title.setObjectName("targetTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        words = QLabel(hint)
        words.setWordWrap(True)
        words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(title)
        layout.addWidget(words)
        layout.addStretch()

    def _hot(self, hot: bool) -> None:
        self.setProperty("hot", hot)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if decode_deal(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self._hot(True)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: Any) -> None:
        self._hot(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._hot(False)
        decoded = decode_deal(event.mimeData())
        if decoded is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)  # the board reloads; no view deletes rows
        event.accept()
        deal_id = decoded[0]
        QTimer.singleShot(0, lambda: self.deal_dropped.emit(deal_id))


class PipelineBoard(QWidget):
    """The open stages side by side and the two ways out. One card is selected at a time.

    Signals: move_requested(deal_id, target) when a card is dropped on another column or on
    Won/Lost; open_requested(deal_id) on double-click or Enter; selection_changed()."""

    move_requested = Signal(int, str)
    open_requested = Signal(int)
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(BOARD_STYLE)
        self.columns = {stage: StageColumn(stage) for stage in OPEN_DEAL_STAGES}
        self.targets = {
            "won": DropTarget("won", "Drop a deal here when the customer has signed."),
            "lost": DropTarget("lost", "Drop a deal here to close it with a reason."),
        }
        closing = QVBoxLayout()
        closing.setSpacing(8)
        for target in self.targets.values():
            target.setMaximumWidth(190)  # cards need the room more than the targets
            closing.addWidget(target, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for column in self.columns.values():
            layout.addWidget(column, 3)
            view = column.cards
            view.deal_dropped.connect(lambda deal_id, s=column.stage: self._on_drop(deal_id, s))
            view.doubleClicked.connect(self._on_cards_double_clicked)
            view.open_pressed.connect(self._on_cards_double_clicked)
            view.step_requested.connect(lambda step, s=column.stage: self._on_step(s, step))
            view.selectionModel().selectionChanged.connect(
                lambda _selected, _deselected, s=column.stage: self._on_cards_selection_changed(s)
            )
        layout.addLayout(closing, 2)
        for name, target in self.targets.items():
            target.deal_dropped.connect(lambda deal_id, t=name: self._on_drop(deal_id, t))

    def set_today(self, today: Any) -> None:
        for column in self.columns.values():
            delegate = column.cards.itemDelegate()
            if isinstance(delegate, CardDelegate):
                delegate.today = today

    def show_cards(self, cards: dict[str, list[Card]]) -> None:
        """Show these columns' cards (the others stay as they are)."""
        selected = self.selected_card()
        for stage, shown in cards.items():
            self.columns[stage].show_cards(shown)
        if selected is not None:
            self.select_deal(selected.id)

    def show_totals(self, totals: dict[str, StageTotals], currency: str) -> None:
        for stage, column in self.columns.items():
            column.show_totals(totals[stage], currency)

    def selected_card(self) -> Card | None:
        for column in self.columns.values():
            index = column.cards.currentIndex()
            if index.isValid() and column.cards.selectionModel().isSelected(index):
                card: Card = index.data(CARD_ROLE)
                return card
        return None

    def select_deal(self, deal_id: int) -> bool:
        """Select a deal's card wherever it shows; False when no column shows it. Keyboard
        focus follows the card when it was on the board, so moves can be chained."""
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.isAncestorOf(focused)
        for column in self.columns.values():
            row = column.cards.card_model().row_of(deal_id)
            if row is not None:
                view = column.cards
                view.setCurrentIndex(view.model().index(row, 0))
                view.scrollTo(view.currentIndex())
                if had_focus:
                    view.setFocus()
                return True
        return False

    def _on_drop(self, deal_id: int, target: str) -> None:
        self.move_requested.emit(deal_id, target)

    def _on_cards_double_clicked(self, index: QModelIndex) -> None:
        card: Card | None = index.data(CARD_ROLE)
        if card is not None:
            self.open_requested.emit(card.id)

    def _on_cards_selection_changed(self, stage: str) -> None:
        if self.columns[stage].cards.selectionModel().hasSelection():
            # One selection on the board: choosing a card in one column clears the others.
            for other, column in self.columns.items():
                if other != stage:
                    column.cards.selectionModel().clearSelection()
        self.selection_changed.emit()

    def _on_step(self, stage: str, step: int) -> None:
        """Arrow keys walk between columns, to the card at about the same height."""
        position = OPEN_DEAL_STAGES.index(stage) + step
        if not 0 <= position < len(OPEN_DEAL_STAGES):
            return
        here = self.columns[stage].cards
        there = self.columns[OPEN_DEAL_STAGES[position]].cards
        count = there.model().rowCount()
        if count == 0:
            return
        row = min(max(here.currentIndex().row(), 0), count - 1)
        there.setFocus()
        there.setCurrentIndex(there.model().index(row, 0))
