"""The main window: navigation, the status bar, settings, and the daily backup."""

from PySide6.QtCore import Qt

from app import backup
from app.company import load as load_profile
from ui.main_window import MainWindow


def make_window(qtbot, store, clock):
    window = MainWindow(store, clock)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # shortcuts reach only the active window
        window.show()
        window.activateWindow()
    return window


def test_sidebar_and_shortcuts_move_between_areas(qtbot, store, clock, company):
    window = make_window(qtbot, store, clock)
    names = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert names == [
        "Dashboard",
        "My day",
        "Campaigns",
        "Leads",
        "Pipeline",
        "SLA",
        "Plans",
        "Team",
        "Settings",
    ]
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages["Team"]
    team_table = window.pages["Team"].table
    shown = {team_table.item(r, 0).text() for r in range(team_table.rowCount())}
    assert {"Olga Owner", "Sam Sales", "Mara Marketing"} <= shown
    window.sidebar.setCurrentRow(3)
    assert window.stack.currentWidget() is window.pages["Leads"]


def test_status_bar_and_title_name_the_open_database(qtbot, store, clock, company):
    window = make_window(qtbot, store, clock)
    assert str(store.path) in window.database_label.text()
    assert window.windowTitle().startswith("Test GmbH")


def test_settings_save_only_a_sound_profile(qtbot, store, clock, company):
    window = make_window(qtbot, store, clock)
    window.sidebar.setCurrentRow(8)
    page = window.settings_page
    assert not page.save_button.isEnabled()  # nothing changed yet

    page.form.name.clear()
    assert not page.save_button.isEnabled()
    assert "Give the company a name." in page.form.problems.text()

    page.form.name.setText("Test & Söhne GmbH")  # QTest types ASCII only
    page.form.paper.setCurrentText("Letter")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = load_profile()
    assert (saved.name, saved.paper) == ("Test & Söhne GmbH", "Letter")
    assert page.status.text() == "Saved."
    assert window.windowTitle().startswith("Test & Söhne GmbH")


def test_dashboard_shows_real_counts(qtbot, store, clock, company):
    from app import leads

    for name in ("Ana", "Ben"):
        leads.add_lead(name=name, source="referral", by=company.owner, clock=clock)
    window = make_window(qtbot, store, clock)
    leads_tile = window.pages["Dashboard"].tiles["leads"]
    qtbot.waitUntil(lambda: "leads in all" in leads_tile.text())  # filled after first paint
    assert ">2<" in leads_tile.text()


def test_daily_backup_runs_in_the_background(qtbot, store, clock, company):
    window = make_window(qtbot, store, clock)
    assert backup.daily_backup_due(store.path, clock.now())
    window.back_up_if_due()
    qtbot.waitUntil(lambda: window._backup_job is None, timeout=10000)
    assert not backup.daily_backup_due(store.path, clock.now())
    assert "Backed up today" in window.backup_label.text()


def test_file_menu_exports_the_leads_list_as_shown(
    qtbot, store, clock, company, tmp_path, monkeypatch
):
    import csv

    from app import leads
    from ui import main_window

    for name in ("Ana Adams", "Ben Brown", "Anna Alder"):
        leads.add_lead(name=name, source="referral", by=company.owner, clock=clock)
    window = make_window(qtbot, store, clock)
    window.sidebar.setCurrentRow(3)
    window.leads_page.search.setText("an")
    window.leads_page.apply_filter()
    target = tmp_path / "shown.csv"
    original = main_window.export_list
    monkeypatch.setattr(
        main_window,
        "export_list",
        lambda parent, kind, query, name: original(parent, kind, query, name, path=target),
    )
    window.export_leads()
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    column = [heading.lower() for heading in rows[0]].index("name")
    names = [row[column] for row in rows[1:]]
    assert sorted(names) == ["Ana Adams", "Anna Alder"]  # Ben Brown was not in the list


def test_closing_at_once_starts_no_work_on_the_closed_database(qtbot, store, clock, company):
    window = MainWindow(store, clock)  # queues its first reload and the database check
    window.show()
    window.close()  # before the event loop ran them
    qtbot.wait(50)
    assert window._check_job is None
    assert window._backup_job is None
    assert window.dashboard._job is None
    assert store.db.is_closed()
