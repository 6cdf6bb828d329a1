"""Problems reach the user: calm sentences for expected ones, the crash dialog for bugs."""

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app import backup
from app.errors import UserError
from ui import errors, opening
from ui.errors import CrashDialog


def test_crash_dialog_copies_its_details(qtbot):
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        details = errors.crash_details(exc)
    dialog = CrashDialog(details)
    qtbot.addWidget(dialog)
    assert "boom in a slot" in dialog.details.toPlainText()
    assert "Traceback" in dialog.details.toPlainText()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "boom in a slot" in QGuiApplication.clipboard().text()


def record_boxes(monkeypatch, answer=QMessageBox.StandardButton.Yes):
    shown = []

    def box(kind):
        def show(parent, title, text, *rest):
            shown.append((kind, title, text))
            return answer

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return shown


def test_expected_problems_are_sentences_not_crashes(qtbot, monkeypatch):
    shown = record_boxes(monkeypatch)
    errors.show_problem(None, UserError("Pick a reason."))
    errors.show_problem(None, sqlite3.OperationalError("database is locked"))
    assert shown[0][2] == "Pick a reason."
    assert "busy" in shown[1][2]


def test_a_second_tandem_on_the_same_file_is_told_so(qtbot, store, clock, monkeypatch):
    shown = record_boxes(monkeypatch)
    assert opening.open_interactively(None, str(store.path), clock) is None
    assert "already open in another Tandem" in shown[0][2]


def test_damaged_database_offers_the_latest_backup(qtbot, store, clock, company, monkeypatch):
    path = store.path
    backup.make_automatic_backup(path, "daily", clock.now())
    store.close()
    raw = bytearray(path.read_bytes())
    raw[4096 * 2 : 4096 * 6] = b"\xff" * (4096 * 4)  # wreck a few pages in the middle
    path.write_bytes(bytes(raw))

    shown = record_boxes(monkeypatch)
    reopened = opening.open_interactively(None, str(path), clock)
    assert reopened is not None
    reopened.close()
    assert [kind for kind, _, _ in shown][:2] == ["question", "information"]
    assert "damaged" in shown[0][2]
    assert list(path.parent.glob("tandem.db.damaged-*")), "the damaged file was kept aside"


def test_damage_found_by_the_background_check_offers_the_backup(
    qtbot, store, clock, company, monkeypatch
):
    from app import db
    from ui.main_window import MainWindow

    path = store.path
    backup.make_automatic_backup(path, "daily", clock.now())
    store.close()
    raw = bytearray(path.read_bytes())
    raw[4096 * 2 : 4096 * 6] = b"\xff" * (4096 * 4)
    path.write_bytes(bytes(raw))

    shown = record_boxes(monkeypatch)
    # As the window opens a file: the quick check is left to the background.
    unchecked = db.open_database(path, clock=clock, quick_check_now=False)
    assert not unchecked.checked
    window = MainWindow(unchecked, clock)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "question" and "damaged" in shown[0][2]
    qtbot.waitUntil(lambda: window.store is not unchecked, timeout=5000)
    assert window.store.checked
    assert list(path.parent.glob("tandem.db.damaged-*")), "the damaged file was kept aside"


def test_about_shows_the_database_name_literally(qtbot, store, clock, company, monkeypatch):
    from ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = MainWindow(store, clock)
    qtbot.addWidget(window)
    window.store.path = window.store.path.with_name("<b>odd & name<i>.db")
    window.show_about()
    assert "&lt;b&gt;odd &amp; name&lt;i&gt;.db" in shown[0]
