"""Which column fills which field: guesses from other tools' headers, and the user's choices."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.io import mapping


def _named(kind: str, headers: list[str]) -> dict[str, str]:
    return {headers[i]: field for i, field in mapping.guess_mapping(kind, headers).items()}


def test_a_crm_export_maps_without_help():
    headers = [
        "First Name", "Last Name", "Company Name", "E-mail Address", "Phone Number",
        "Lead Source", "Created Date", "Description", "Lead Owner", "Lead ID",
    ]  # fmt: skip

    assert _named("leads", headers) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Company Name": "company",
        "E-mail Address": "email",
        "Phone Number": "phone",
        "Lead Source": "source",
        "Created Date": "created_at",
        "Description": "notes",
        "Lead Owner": "owner",
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["  E-MAIL  ", "phone_number", "COMPANY-NAME"], ["email", "phone", "company"]),
        (["Vorname", "Nachname", "Firma", "E-Mail-Adresse", "Telefon"],
         ["first_name", "last_name", "company", "email", "phone"]),
        (["Prénom", "Nom", "Société", "Courriel", "Téléphone"],
         ["first_name", "last_name", "company", "email", "phone"]),
        (["Nombre", "Apellidos", "Empresa", "Correo electrónico", "Teléfono"],
         ["first_name", "last_name", "company", "email", "phone"]),
        (["Name", "Notiz", "Erstellt am"], ["name", "notes", "created_at"]),
    ],
)  # fmt: skip
def test_headers_in_other_spellings_and_languages(headers, expected):
    assert [_named("leads", headers).get(h) for h in headers] == expected


def test_the_first_of_two_columns_for_a_field_wins_and_unknown_columns_stay_unmapped():
    headers = ["Email", "Secondary Email", "E-mail", "Shoe size"]
    assert _named("leads", headers) == {"Email": "email"}


def test_campaign_and_deal_headers():
    assert _named(
        "campaigns", ["Campaign Name", "Type", "Start Date", "Budget", "Actual Cost"]
    ) == {
        "Campaign Name": "name",
        "Type": "channel",
        "Start Date": "starts_on",
        "Budget": "planned_budget",
        "Actual Cost": "actual_spend",
    }
    assert _named("deals", ["Opportunity Name", "Amount", "Close Date", "Stage", "Lead email"]) == {
        "Opportunity Name": "title",
        "Amount": "value",
        "Close Date": "expected_close",
        "Stage": "stage",
        "Lead email": "lead",
    }


def test_the_users_choices_replace_and_drop_guesses():
    headers = ["Name", "Mail", "Work email", "Comments"]
    guessed = mapping.guess_mapping("leads", headers)

    chosen = mapping.apply_choices(
        "leads", headers, guessed, ["Work email=email", "comments=ignore", "2=notes"]
    )

    assert {headers[i]: f for i, f in chosen.items()} == {
        "Name": "name",
        "Mail": "notes",
        "Work email": "email",
    }


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("Name", "Write each mapping as COLUMN=field"),
        ("Name=shoe_size", "'shoe_size' is not a field of leads"),
        ("Nope=name", "The file has no column 'Nope'; its columns are: Name, Email"),
    ],
)
def test_bad_choices_are_explained(choice, message):
    headers = ["Name", "Email"]
    with pytest.raises(UserError, match=message):
        mapping.apply_choices("leads", headers, {}, [choice])


def test_a_mapping_without_a_name_or_company_makes_no_lead():
    with pytest.raises(UserError, match="No column is mapped to a name or a company"):
        mapping.check_mapping("leads", ["Email"], {0: "email"})


def test_two_columns_for_one_field_are_refused():
    with pytest.raises(UserError, match="Both 'A' and 'B' are mapped to email"):
        mapping.check_mapping("leads", ["A", "B", "Name"], {0: "email", 1: "email", 2: "name"})


def test_an_unknown_kind_is_refused():
    with pytest.raises(UserError, match="'contacts' is not one of them"):
        mapping.guess_mapping("contacts", ["Name"])
