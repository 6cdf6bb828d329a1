"""The welcome screen: start my company, or explore the sample company."""

from PySide6.QtCore import Qt

from app import company, team
from app.models import Lead, Member
from ui import welcome
from ui.welcome import WelcomeDialog


def test_start_my_company_creates_the_company_and_its_owner(qtbot, store, clock):
    dialog = WelcomeDialog(clock)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    assert not dialog.create_button.isEnabled()  # no company name, no owner yet

    form = dialog.form
    form.name.setText("Greenleaf Bäckerei")  # QTest types ASCII only
    form.country.setCurrentIndex(form.country.findData("DE"))
    form.region.setCurrentIndex(form.region.findData("BY"))
    form.timezone.setCurrentText("Europe/Berlin")
    dialog.owner_name.setText("Zoë Łukasiewicz")
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert team.is_onboarded()
    profile = company.load()
    assert (profile.name, profile.country, profile.region) == ("Greenleaf Bäckerei", "DE", "BY")
    owner = Member.get(Member.role == "owner")
    assert owner.name == "Zoë Łukasiewicz"


def test_the_form_says_what_is_missing(qtbot, store, clock):
    dialog = WelcomeDialog(clock)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pages.setCurrentIndex(1)
    dialog.form.currency.setCurrentText("EU")
    for box in dialog.form.days:
        box.setChecked(False)
    text = dialog.form.problems.text()
    assert "Give the company a name." in text
    assert "three-letter code" in text
    assert "at least one working day" in text
    assert dialog.form.problems.isVisible()


def test_explore_the_sample_company_fills_the_database(qtbot, store, clock, monkeypatch):
    monkeypatch.setattr(welcome, "SAMPLE_LEADS", 300)
    dialog = WelcomeDialog(clock)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert Lead.select().count() == 300
    assert team.is_onboarded()
