"""The same code on PostgreSQL, for a team that outgrows one laptop.

Runs when TANDEM_TEST_POSTGRES_URL names a server database that may be emptied (CI starts a
throwaway one); skipped otherwise."""

import datetime as dt
import os

import pytest

from app import company, demo, lead_list, leads, overview, team
from app.db import open_database
from app.lead_list import LeadFilter
from app.models import ALL_MODELS, Deal, Lead, database

URL = os.environ.get("TANDEM_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no TANDEM_TEST_POSTGRES_URL server to test on")


@pytest.fixture
def pg_store(clock):
    store = open_database(URL, clock=clock)
    database.drop_tables(ALL_MODELS, cascade=True)
    store.close()
    store = open_database(URL, clock=clock)  # a fresh schema, made the way a user's is
    yield store
    store.close()


def test_a_lead_lifecycle_on_postgresql(pg_store, clock):
    owner = team.start_company(company.CompanyProfile(name="PG GmbH"), "Olga", "", clock=clock)
    seller = team.add_member("Sam", "", "sales", by=owner, clock=clock)
    lead = leads.add_lead(name="Zoë", company="東京商事", source="referral", by=owner, clock=clock)
    leads.qualify(lead, by=owner, clock=clock)
    leads.hand_over(lead, to=seller, by=owner, clock=clock)
    leads.accept(lead, by=owner, clock=clock)
    deal = leads.convert_to_deal(lead, value="1250.50", currency="EUR", by=owner, clock=clock)
    assert Deal.get_by_id(deal.id).lead.name == "Zoë"
    assert [row.company for row in lead_list.page(LeadFilter(text="zo"))] == ["東京商事"]
    assert overview.glance().open_deals == 1


def test_the_sample_company_on_postgresql(pg_store, clock):
    summary = demo.build_demo(leads=300, seed=2, today=dt.date(2026, 11, 22))
    assert Lead.select().count() == summary.leads == 300
    owner = team.members("owner")[0]
    added = leads.add_lead(name="After", source="referral", by=owner, clock=clock)
    assert added.id == 301  # the id sequence moved past the sample's explicit ids
