"""The Team page: people and roles, who 'I' am, and the reason lists."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import team
from app.models import Member, Reason
from ui.team_page import TeamPage


@pytest.fixture
def page(qtbot, store, clock, company):
    widget = TeamPage(clock)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    return widget


def answer_dialog(fill):
    def act():
        dialog = QApplication.activeModalWidget()
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.problem.text()
        dialog.ok_button.click()

    QTimer.singleShot(0, act)


def row_of(page, name):
    for row in range(page.table.rowCount()):
        if page.table.item(row, 0).text() == name:
            return row
    raise AssertionError(f"{name} is not listed")


def test_add_and_edit_a_person(qtbot, page):
    def fill(dialog):
        assert not dialog.ok_button.isEnabled()  # no name yet
        dialog.name.setText("Priya Patel")
        dialog.email.setText("priya@example.com")
        dialog.role.setCurrentIndex(dialog.role.findData("marketing"))

    answer_dialog(fill)
    page.add_member()
    assert Member.get(Member.name == "Priya Patel").role == "marketing"

    page.table.selectRow(row_of(page, "Priya Patel"))
    answer_dialog(lambda d: d.role.setCurrentIndex(d.role.findData("sales")))
    page.edit_member()
    assert Member.get(Member.name == "Priya Patel").role == "sales"


def test_someone_who_left_is_greyed_and_gets_no_leads(page, company):
    page.table.selectRow(row_of(page, "Sia Sales"))
    page.toggle_active()
    assert not Member.get_by_id(company.other_seller.id).active
    assert page.table.item(row_of(page, "Sia Sales"), 3).text() == "left"
    assert "Sia Sales" not in [m.name for m in team.members("sales")]


def test_the_last_owner_cannot_leave(page, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    page.table.selectRow(row_of(page, "Olga Owner"))
    page.toggle_active()
    assert "needs an owner" in shown[0]
    assert Member.get(Member.name == "Olga Owner").active


def test_this_is_me(page, company):
    page.table.selectRow(row_of(page, "Sam Sales"))
    page.this_is_me()
    assert team.current_member().id == company.seller.id
    assert page.table.item(row_of(page, "Sam Sales"), 3).text() == "you"


def test_reason_lists_are_editable(page):
    answer_dialog(
        lambda d: (d.label.setText("Only wanted a brochure"), d.unresponsive.setChecked(False))
    )
    page.add_reason("rejection")
    assert Reason.get(Reason.label == "Only wanted a brochure").kind == "rejection"
    listing = page.reason_lists["rejection"]
    texts = [listing.item(i).text() for i in range(listing.count())]
    assert "Only wanted a brochure" in texts

    listing.setCurrentRow(texts.index("Only wanted a brochure"))
    page.remove_reason("rejection")
    assert not Reason.get(Reason.label == "Only wanted a brochure").active
    assert "Only wanted a brochure" not in [r.label for r in team.reasons("rejection")]
