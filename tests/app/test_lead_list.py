"""The leads list: counting, filtering, search, sorting and paging happen in SQL."""

import datetime as dt

import pytest

from app import activities, lead_list, leads
from app.lead_list import LeadFilter
from app.models import Lead


@pytest.fixture
def people(company, clock):
    names = [
        ("Zoë Łukasiewicz", "東京商事", "zoe@example.com", "+48 22 555 0101"),
        ("Anna Müller", "Gärtnerei Müller", "anna@example.de", "+49 30 1234"),
        ("Ben Adams", "Adams & Sons <b>", "ben@example.co.uk", "+44 20 7946 0000"),
        ("Carla Díaz", "Viveros Díaz", "carla@example.es", "+34 91 000 111"),
    ]
    made = []
    for index, (name, firm, email, phone) in enumerate(names):
        clock.advance(hours=1)
        made.append(
            leads.add_lead(
                name=name,
                company=firm,
                email=email,
                phone=phone,
                source="referral",
                customer_type="b2c" if index % 2 else "b2b",
                by=company.owner,
                clock=clock,
            )
        )
    return made


def names(rows):
    return [row.name for row in rows]


def test_count_and_newest_first(people):
    assert lead_list.count(LeadFilter()) == 4
    assert names(lead_list.page(LeadFilter())) == [
        "Carla Díaz",
        "Ben Adams",
        "Anna Müller",
        "Zoë Łukasiewicz",
    ]


def test_search_ignores_accents_and_matches_word_starts(people):
    assert names(lead_list.page(LeadFilter(text="zoe"))) == ["Zoë Łukasiewicz"]
    assert names(lead_list.page(LeadFilter(text="mull"))) == ["Anna Müller"]
    assert names(lead_list.page(LeadFilter(text="東京商事"))) == ["Zoë Łukasiewicz"]
    assert names(lead_list.page(LeadFilter(text="example es"))) == ["Carla Díaz"]
    assert lead_list.count(LeadFilter(text="nobody")) == 0


def test_search_follows_edits(people, company, clock):
    lead = people[0]
    Lead.update(company="Kyoto Gardens").where(Lead.id == lead.id).execute()
    assert lead_list.count(LeadFilter(text="東京商事")) == 0
    assert names(lead_list.page(LeadFilter(text="kyoto"))) == ["Zoë Łukasiewicz"]


def test_search_text_that_looks_like_syntax_is_just_text(people):
    for text in ('"', "AND OR NOT", "*", "name:zoe", "(", 'ben"*'):
        lead_list.count(LeadFilter(text=text))  # no error from the search engine


def test_filters_combine(people, company, clock):
    leads.qualify(people[1], by=company.owner, clock=clock)
    leads.hand_over(people[1], to=company.seller, by=company.owner, clock=clock)
    assert names(lead_list.page(LeadFilter(stage="handed_over"))) == ["Anna Müller"]
    assert names(lead_list.page(LeadFilter(member_id=company.seller.id))) == ["Anna Müller"]
    assert lead_list.count(LeadFilter(customer_type="b2c")) == 2
    assert lead_list.count(LeadFilter(customer_type="b2c", text="anna")) == 1
    created = people[2].created_at.date()
    assert lead_list.count(LeadFilter(created_from=created, created_to=created)) >= 1
    assert lead_list.count(LeadFilter(created_to=created - dt.timedelta(days=1))) == 0


def test_sort_and_pages_are_stable(people):
    by_company = names(lead_list.page(LeadFilter(), "company", descending=False))
    # Code-point order: "Viveros" before "東京".
    assert by_company == ["Ben Adams", "Anna Müller", "Carla Díaz", "Zoë Łukasiewicz"]
    first = lead_list.page(LeadFilter(), "company", False, offset=0, limit=2)
    second = lead_list.page(LeadFilter(), "company", False, offset=2, limit=2)
    assert names(first + second) == by_company


def test_pages_read_from_the_end_match_pages_read_from_the_start(company, clock):
    for index in range(23):
        clock.advance(minutes=1)
        leads.add_lead(name=f"Lead {index:02d}", source="referral", by=company.owner, clock=clock)
    everyone = lead_list.page_ids(LeadFilter(), "name", False, 0, 100)
    for offset in (0, 5, 10, 12, 15, 20, 22):
        from_end = lead_list.page_ids(LeadFilter(), "name", False, offset, 5, total=23)
        assert from_end == everyone[offset : offset + 5], offset


def test_trash_is_kept_out_of_the_list(people, clock):
    Lead.update(deleted_at=clock.now()).where(Lead.id == people[0].id).execute()
    assert lead_list.count(LeadFilter()) == 3
    assert names(lead_list.page(LeadFilter(in_trash=True))) == ["Zoë Łukasiewicz"]


def test_rows_carry_names_of_campaign_and_owners(people, company, clock):
    leads.qualify(people[0], by=company.owner, clock=clock)
    leads.hand_over(people[0], to=company.seller, by=company.owner, clock=clock)
    row = lead_list.rows_for([people[0].id])[0]
    assert (row.owner, row.sales_owner) == ("Olga Owner", "Sam Sales")


def test_duplicates_by_email_or_phone(people):
    assert [d.id for d in leads.find_duplicates("ZOE@example.com", "")] == [people[0].id]
    assert [d.id for d in leads.find_duplicates("", "+49 30 1234")] == [people[1].id]
    assert leads.find_duplicates("zoe@example.com", "", exclude=people[0].id) == []
    assert leads.find_duplicates("", "") == []


def test_activities_and_timeline(people, company, clock):
    from app.timeline import lead_timeline

    lead = people[0]
    leads.qualify(lead, by=company.owner, clock=clock)
    clock.advance(hours=1)
    leads.hand_over(lead, to=company.seller, by=company.owner, clock=clock)
    clock.advance(hours=1)
    activities.log_activity(
        kind="call", lead=lead, outcome="Left a voicemail", by=company.seller, clock=clock
    )
    titles = [entry.title for entry in lead_timeline(lead.id)]
    assert titles == ["Call", "Handed over to sales", "Qualified by marketing", "Lead created"]


def test_activity_rules(people, company, clock):
    from app.errors import UserError

    with pytest.raises(UserError, match="needs some text"):
        activities.log_activity(kind="note", lead=people[0], by=company.owner, clock=clock)
    with pytest.raises(UserError, match="once it has happened"):
        activities.log_activity(
            kind="call",
            lead=people[0],
            occurred_at=clock.now() + dt.timedelta(hours=1),
            by=company.owner,
            clock=clock,
        )
    with pytest.raises(UserError, match="one lead or one deal"):
        activities.log_activity(kind="call", by=company.owner, clock=clock)
