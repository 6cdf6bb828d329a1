"""The My day page lists what is waiting and opens a lead in the Leads page."""

from app import leads, team
from ui.main_window import MainWindow


def test_my_day_lists_waiting_leads_and_opens_one(qtbot, store, clock, company):
    lead = leads.add_lead(name="Zoë Waiting", source="referral", by=company.owner, clock=clock)
    leads.qualify(lead, by=company.owner, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.owner, clock=clock)
    team.set_current_member(company.seller)
    window = MainWindow(store, clock)
    qtbot.addWidget(window)
    window.show()
    window.sidebar.setCurrentRow(1)
    page = window.my_day
    assert page.person.currentData() == company.seller.id
    qtbot.waitUntil(lambda: page.waiting.topLevelItemCount() == 1)
    item = page.waiting.topLevelItem(0)
    assert item.text(0) == "Zoë Waiting"
    page.waiting.itemActivated.emit(item, 0)
    assert window.stack.currentWidget() is window.leads_page
    assert window.leads_page.selected_id() == lead.id
