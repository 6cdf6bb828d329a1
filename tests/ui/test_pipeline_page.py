"""The Pipeline page: the board's drag and drop, keyboard moves, won and lost, details, the list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from app import audit, deals, leads, pipeline
from app.models import Deal, DealStageChange
from ui.pipeline_board import CardListModel
from ui.pipeline_list import DealTableModel
from ui.pipeline_page import LIST_TAB, PipelinePage

D = Decimal


def _deal(company, clock, title, value, **extra):
    return deals.add_deal(
        title=title,
        value=D(value),
        currency=extra.pop("currency", "EUR"),
        owner=company.seller,
        by=company.seller,
        clock=clock,
        **extra,
    )


@pytest.fixture
def made(company, clock):
    garden = leads.add_lead(
        name="Anna Müller",
        company="Gärtnerei Müller",
        source="referral",
        by=company.owner,
        clock=clock,
    )
    return {
        "rose": _deal(
            company, clock, "Rose garden", "5000", lead=garden, expected_close=dt.date(2026, 12, 10)
        ),
        "tools": _deal(company, clock, "Tool rental", "1200", expected_close=dt.date(2027, 1, 5)),
        "roof": _deal(
            company,
            clock,
            "Roof terrace",
            "8000",
            stage="proposal",
            expected_close=dt.date(2026, 11, 30),
        ),
        "orchard": _deal(company, clock, "Orchard", "20000", stage="negotiation"),
    }


@pytest.fixture
def page(qtbot, made, clock):
    widget = PipelinePage(clock)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(widget.figures_loaded)
    yield widget
    widget.wait()


def answer_dialog(fill, press="ok"):
    """When the next modal dialog shows, fill it in and press OK (or Cancel)."""

    def act(tries=200):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            assert tries, "no dialog opened"
            QTimer.singleShot(10, lambda: act(tries - 1))
            return
        fill(dialog)
        if press == "ok":
            assert dialog.ok_button.isEnabled(), dialog.problem.text()
            dialog.ok_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, act)


def titles(page, stage):
    model = page.board.columns[stage].cards.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def card_index(page, stage, title):
    model = page.board.columns[stage].cards.model()
    row = titles(page, stage).index(title)
    return model.index(row, 0)


def select(page, stage, title):
    view = page.board.columns[stage].cards
    view.setFocus()
    view.setCurrentIndex(card_index(page, stage, title))
    assert page.board.selected_card().title == title
    return view


def drag_and_drop(page, source_stage, title, target):
    """What a drag does: the source view's model makes the drag's data from the card, then the
    target receives the drag entering, moving and dropping over it. Returns whether each of
    these was accepted."""
    source = page.board.columns[source_stage].cards
    mime = source.model().mimeData([card_index(page, source_stage, title)])
    if isinstance(target, str) and target in page.board.columns:
        widget = page.board.columns[target].cards.viewport()
    else:
        widget = page.board.targets[target]
    centre = widget.rect().center()
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    button, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre, actions, mime, button, keys)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(centre, actions, mime, button, keys)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(centre), actions, mime, button, keys)
    QApplication.sendEvent(widget, drop)
    return move.isAccepted() and drop.isAccepted()


def stage_of(deal):
    return Deal.get_by_id(deal.id).stage


def test_the_board_shows_each_stage_with_its_figures(page):
    columns = page.board.columns
    assert titles(page, "qualification") == ["Rose garden", "Tool rental"]
    assert titles(page, "proposal") == ["Roof terrace"]
    assert titles(page, "negotiation") == ["Orchard"]
    assert [columns[s].count.text() for s in columns] == ["2", "1", "1"]
    assert columns["qualification"].figures.text() == "6.2k EUR · weighted 620"
    assert columns["proposal"].figures.text() == "8.0k EUR · weighted 2.4k"
    assert columns["negotiation"].figures.text() == "20.0k EUR · weighted 12.0k"
    assert "6,200 EUR, weighted 620 EUR" in columns["qualification"].figures.toolTip()
    assert page.summary.text() == "4 open deals · 34.2k EUR (weighted 15.0k)"
    card = card_index(page, "qualification", "Rose garden").data(Qt.ItemDataRole.ToolTipRole)
    assert card == (
        "Rose garden with Gärtnerei Müller: 5,000 EUR at 10%, expected to close 10 Dec 2026, "
        "owned by Sam Sales; 0 days in this stage"
    )


def test_the_forecast_strip_shows_weighted_value_by_month(page):
    figures = dict(page.forecast.figures())
    assert list(figures) == [
        "Overdue",
        "Nov 2026",
        "Dec 2026",
        "Jan 2027",
        "Feb 2027",
        "Mar 2027",
        "Apr 2027",
        "Later",
        "No date",
    ]
    assert (figures["Nov 2026"], figures["Dec 2026"], figures["Jan 2027"]) == (
        D("2400"),
        D("500"),
        D("120"),
    )
    assert figures["No date"] == D("12000")
    assert not page.forecast.note.isVisible()


def test_other_currencies_are_shown_apart_never_added(qtbot, company, clock):
    _deal(company, clock, "Euro job", "1000")
    _deal(company, clock, "Dollar job", "2000", currency="USD", expected_close=dt.date(2026, 12, 3))
    page = PipelinePage(clock)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(page.figures_loaded)
    column = page.board.columns["qualification"]
    assert column.figures.text() == "1.0k EUR · weighted 100\n2.0k USD · weighted 200"
    assert page.summary.text() == (
        "2 open deals · 1.0k EUR (weighted 100) + 2.0k USD (weighted 200)"
    )
    assert "Not in the bars" in page.forecast.note.text()
    assert "200 USD" in page.forecast.note.text()
    assert dict(page.forecast.figures())["Dec 2026"] == D(0)
    page.wait()


def test_drag_a_card_from_qualification_to_proposal(qtbot, page, made):
    with qtbot.waitSignal(page.changed):
        assert drag_and_drop(page, "qualification", "Rose garden", "proposal")

    assert stage_of(made["rose"]) == "proposal"
    assert titles(page, "qualification") == ["Tool rental"]
    assert titles(page, "proposal") == ["Roof terrace", "Rose garden"]
    assert page.board.selected_card().title == "Rose garden"
    qtbot.waitUntil(page.figures_loaded)
    assert page.board.columns["proposal"].count.text() == "2"
    assert page.board.columns["proposal"].figures.text() == "13.0k EUR · weighted 3.9k"
    changes = DealStageChange.select().where(DealStageChange.deal == made["rose"].id)
    assert [c.to_stage for c in changes.order_by(DealStageChange.id)] == [
        "qualification",
        "proposal",
    ]


def test_a_card_dropped_on_its_own_column_is_not_taken(qtbot, page, made):
    assert not drag_and_drop(page, "qualification", "Rose garden", "qualification")
    qtbot.wait(20)
    assert stage_of(made["rose"]) == "qualification"


def test_dropping_on_lost_asks_for_a_reason(qtbot, page, made, company):
    loss = company.reasons["loss"][1]

    def give_reason(dialog):
        assert not dialog.ok_button.isEnabled()  # no reason picked yet
        dialog.reason.setCurrentIndex(dialog.reason.findData(loss.id))
        dialog.note.setText("Chose a cheaper gardener")

    answer_dialog(give_reason)
    with qtbot.waitSignal(page.changed):
        assert drag_and_drop(page, "proposal", "Roof terrace", "lost")

    stored = Deal.get_by_id(made["roof"].id)
    assert (stored.stage, stored.loss_reason.id, stored.loss_note) == (
        "lost",
        loss.id,
        "Chose a cheaper gardener",
    )
    assert titles(page, "proposal") == []


def test_cancelling_the_reason_leaves_the_deal_where_it_was(qtbot, page, made):
    asked = []
    answer_dialog(lambda dialog: asked.append(dialog.windowTitle()), press="cancel")
    assert drag_and_drop(page, "proposal", "Roof terrace", "lost")
    qtbot.waitUntil(lambda: asked == ["Lost: Roof terrace"])
    qtbot.wait(20)

    assert stage_of(made["roof"]) == "proposal"
    assert titles(page, "proposal") == ["Roof terrace"]
    assert audit.history("deal", made["roof"].id)[-1].action == "add"


def test_dropping_on_won_asks_first_then_closes_the_deal(qtbot, page, made):
    seen = []
    answer_dialog(lambda dialog: seen.append(dialog.windowTitle()))
    with qtbot.waitSignal(page.changed):
        assert drag_and_drop(page, "negotiation", "Orchard", "won")

    assert seen == ["Won: Orchard"]
    stored = Deal.get_by_id(made["orchard"].id)
    assert (stored.stage, stored.probability) == ("won", 100)
    assert titles(page, "negotiation") == []


def test_a_refused_move_shows_its_sentence_and_the_card_stays(
    qtbot, page, made, company, clock, monkeypatch
):
    # Someone else won the deal after this board was painted.
    deals.win(made["tools"], by=company.owner, clock=clock)
    history = DealStageChange.select().where(DealStageChange.deal == made["tools"].id).count()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:]))

    assert drag_and_drop(page, "qualification", "Tool rental", "proposal")
    qtbot.waitUntil(lambda: bool(shown))

    assert shown == [
        ("Not possible", "The deal 'Tool rental' is already won; reopen it to change its stage.")
    ]
    assert stage_of(made["tools"]) == "won"
    assert DealStageChange.select().where(DealStageChange.deal == made["tools"].id).count() == (
        history
    )
    assert "Tool rental" in titles(page, "qualification")


def test_the_keyboard_moves_the_selected_card_along_the_stages(qtbot, page, made):
    select(page, "qualification", "Rose garden")

    def press(key):
        # Wherever the focus is now: it follows the card from column to column.
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)

    press(Qt.Key.Key_Right)
    assert stage_of(made["rose"]) == "proposal"
    assert page.board.selected_card().title == "Rose garden"
    assert QApplication.focusWidget() is page.board.columns["proposal"].cards

    press(Qt.Key.Key_Right)
    assert stage_of(made["rose"]) == "negotiation"
    assert not page.actions_by_key["next"].isEnabled()  # Won… and Lost… close a deal

    press(Qt.Key.Key_Left)
    assert stage_of(made["rose"]) == "proposal"
    assert Deal.get_by_id(made["rose"].id).probability == 30
    assert titles(page, "negotiation") == ["Orchard"]


def test_arrow_keys_walk_between_columns(qtbot, page):
    view = select(page, "qualification", "Tool rental")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert page.board.selected_card().title == "Roof terrace"
    qtbot.keyClick(page.board.columns["proposal"].cards, Qt.Key.Key_Right)
    assert page.board.selected_card().title == "Orchard"
    qtbot.keyClick(page.board.columns["negotiation"].cards, Qt.Key.Key_Left)
    assert page.board.selected_card().title == "Roof terrace"


def test_the_lost_button_closes_the_selected_deal(qtbot, page, made, company):
    select(page, "qualification", "Tool rental")
    assert page.actions_by_key["lost"].isEnabled()
    answer_dialog(lambda dialog: dialog.reason.setCurrentIndex(1))
    page.actions_by_key["lost"].trigger()
    assert stage_of(made["tools"]) == "lost"
    assert not page.actions_by_key["lost"].isEnabled()  # nothing selected any more


def test_double_click_opens_the_details_and_saves_through_the_rules(qtbot, page, made):
    view = page.board.columns["qualification"].cards
    centre = view.visualRect(card_index(page, "qualification", "Rose garden")).center()

    def edit(dialog):
        assert dialog.title.text() == "Rose garden"
        dialog.value.setText("5,250.50")
        dialog.probability.setValue(25)
        dialog.clear_date.click()

    answer_dialog(edit)
    # A double-click is a click, then a second press that arrives as the double-click.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)

    stored = Deal.get_by_id(made["rose"].id)
    assert (stored.value, stored.probability, stored.expected_close) == (D("5250.50"), 25, None)
    assert audit.history("deal", stored.id)[-1].action == "update"
    qtbot.waitUntil(page.figures_loaded)
    assert page.board.columns["qualification"].figures.text() == "6.5k EUR · weighted 1.4k"


def test_the_details_refuse_a_bad_value_while_typing(qtbot, page, made):
    seen = {}

    def bad_value(dialog):
        dialog.value.setText("lots")
        seen["problem"] = dialog.problem.text()
        seen["ok"] = dialog.ok_button.isEnabled()
        dialog.value.setText("12")

    answer_dialog(bad_value, press="cancel")
    select(page, "proposal", "Roof terrace")
    page.actions_by_key["open"].trigger()
    assert seen == {
        "problem": "Type the deal's value as a number, for example 2500 or 2500.50.",
        "ok": False,
    }
    assert Deal.get_by_id(made["roof"].id).value == D("8000")


def test_a_column_says_how_many_more_cards_it_holds(qtbot, company, clock, monkeypatch):
    monkeypatch.setattr(pipeline, "CARD_LIMIT", 2)
    for number in range(5):
        _deal(company, clock, f"Deal {number}", "100")
    page = PipelinePage(clock)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(page.figures_loaded)
    column = page.board.columns["qualification"]
    assert column.cards.model().rowCount() == 2
    assert column.more.isVisible()
    assert column.more.text() == "and 3 more — narrow them down in the list"
    page.wait()


def test_the_card_model_is_a_well_behaved_qt_model(qtmodeltester, made, clock):
    model = CardListModel("qualification")
    model.set_cards(pipeline.cards("qualification", now=clock.now()))
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_the_list_model_is_a_well_behaved_qt_model(qtbot, qtmodeltester, company, clock):
    for number in range(230):  # more than two pages
        _deal(company, clock, f"Deal {number:03}", str(number))
    model = DealTableModel()
    model.reload()
    assert model.rowCount() == 100  # the first page at once; the count follows
    qtmodeltester.check(model)
    qtbot.waitUntil(model.is_counted)
    assert model.rowCount() == 230
    assert model.index(229, 0).data() is not None
    model.sort(3, Qt.SortOrder.DescendingOrder)  # by value
    assert (model.index(0, 0).data(), model.index(0, 3).data()) == ("Deal 229", "229 EUR")
    model.wait()


def test_the_list_filters_and_acts_on_its_selection(qtbot, page, made):
    page.tabs.setCurrentIndex(LIST_TAB)
    listing = page.list
    assert listing.count_label.text() == "4 deals"
    # Soonest close first; on SQLite a deal without a date sorts before the dated ones.
    assert [listing.model.index(r, 0).data() for r in range(4)] == [
        "Orchard",
        "Roof terrace",
        "Rose garden",
        "Tool rental",
    ]
    qtbot.keyClicks(listing.search, "muller")
    qtbot.waitUntil(lambda: listing.count_label.text() == "1 deal")
    assert listing.model.index(0, 1).data() == "Gärtnerei Müller"
    listing.table.selectRow(0)
    assert page.actions_by_key["won"].isEnabled()

    answer_dialog(lambda dialog: None)
    page.actions_by_key["won"].trigger()
    assert stage_of(made["rose"]) == "won"
    assert listing.count_label.text() == "0 deals"  # the list shows open deals
    listing.stage.setCurrentIndex(listing.stage.findData("won"))
    assert [listing.model.index(r, 2).data() for r in range(1)] == ["Won"]


def test_the_list_sorts_by_value(qtbot, page):
    page.tabs.setCurrentIndex(LIST_TAB)
    table = page.list.table
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    values = [page.list.model.index(r, 3).data() for r in range(4)]
    assert values == ["20,000 EUR", "8,000 EUR", "5,000 EUR", "1,200 EUR"]


def test_a_card_drag_carries_only_its_own_deal(page, made):
    model = page.board.columns["qualification"].cards.model()
    mime = model.mimeData([card_index(page, "qualification", "Tool rental")])
    assert bytes(mime.data("application/x-tandem-deal").data()) == (
        f"{made['tools'].id}:qualification".encode()
    )
    view = page.board.columns["qualification"].cards
    assert view.dragDropMode() == QAbstractItemView.DragDropMode.DragDrop


def test_log_activity_history_and_trash_for_a_deal(qtbot, store, clock, company):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import deals as deal_rules
    from app.models import Activity, Deal
    from ui.pipeline_page import PipelinePage

    deal = deal_rules.add_deal(
        title="Hotel roof garden",
        value=Decimal("5000"),
        currency="EUR",
        owner=company.seller,
        by=company.owner,
        clock=clock,
    )
    page = PipelinePage(clock)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.board.select_deal(deal.id)

    def fill(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("demo"))
        dialog.outcome.setText("Showed the planting plan")
        dialog.ok_button.click()

    QTimer.singleShot(0, lambda: fill(QApplication.activeModalWidget()))
    page.actions_by_key["log"].trigger()
    logged = Activity.get(Activity.deal == deal.id)
    assert (logged.kind, logged.outcome) == ("demo", "Showed the planting plan")

    page.board.select_deal(deal.id)
    page.actions_by_key["trash"].trigger()
    assert Deal.get_by_id(deal.id).deleted_at is not None
    page.actions_by_key["undo"].trigger()
    assert Deal.get_by_id(deal.id).deleted_at is None
