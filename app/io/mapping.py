"""Which column fills which field: the fields of each kind of record, and guesses from headers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import UserError
from app.io.values import simplify

KINDS = ("leads", "campaigns", "deals")
IGNORE = "ignore"
# Column index (0-based) -> field name.
Mapping = dict[int, str]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # How the cell is read: text, notes, email, phone, choice, date, datetime, money, count,
    # percent, currency, member (by name or email), campaign (by name), lead (by email).
    reads: str
    max_length: int = 0


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


FIELDS: dict[str, dict[str, Field]] = {
    "leads": _fields(
        Field("name", "Name", "text", 200),
        Field("first_name", "First name", "text", 100),
        Field("last_name", "Last name", "text", 100),
        Field("company", "Company", "text", 200),
        Field("email", "Email", "email", 254),
        Field("phone", "Phone", "phone", 40),
        Field("source", "Source", "choice"),
        Field("campaign", "Campaign", "campaign"),
        Field("customer_type", "Customer type", "choice"),
        Field("temperature", "Temperature", "choice"),
        Field("notes", "Notes", "notes", 100_000),
        Field("created_at", "Created", "datetime"),
        Field("owner", "Owner", "member"),
    ),
    "campaigns": _fields(
        Field("name", "Name", "text", 200),
        Field("channel", "Channel", "choice"),
        Field("objective", "Objective", "notes", 10_000),
        Field("audience", "Audience", "notes", 10_000),
        Field("starts_on", "Starts", "date"),
        Field("ends_on", "Ends", "date"),
        Field("planned_budget", "Planned budget", "money"),
        Field("actual_spend", "Actual spend", "money"),
        Field("status", "Status", "choice"),
        Field("owner", "Owner", "member"),
        Field("impressions", "Impressions", "count"),
        Field("clicks", "Clicks", "count"),
        Field("engagements", "Engagements", "count"),
    ),
    "deals": _fields(
        Field("title", "Title", "text", 200),
        Field("value", "Value", "money"),
        Field("currency", "Currency", "currency"),
        Field("stage", "Stage", "choice"),
        Field("probability", "Probability", "percent"),
        Field("expected_close", "Expected close", "date"),
        Field("owner", "Owner", "member"),
        Field("lead", "Lead email", "lead"),
        Field("created_at", "Created", "datetime"),
    ),
}

# Header names from spreadsheets and other tools' exports (English, German, French, Spanish),
# compared after simplify(): case, accents, spaces and punctuation do not matter.
_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "name": (
            "name", "full name", "contact", "contact name", "lead name", "lead", "person",
            "contact person", "kontakt", "ansprechpartner", "vollstandiger name", "nom complet",
            "nom", "contact nom", "nombre", "nombre completo", "contacto",
        ),
        "first_name": (
            "first name", "given name", "forename", "vorname", "prenom", "nombre de pila",
        ),
        "last_name": (
            "last name", "surname", "family name", "nachname", "familienname", "nom de famille",
            "apellido", "apellidos",
        ),
        "company": (
            "company", "company name", "organization", "organisation", "organization name",
            "account", "account name", "business", "business name", "firma", "firmenname",
            "unternehmen", "societe", "entreprise", "raison sociale", "empresa", "compania",
            "nombre de la empresa",
        ),
        "email": (
            "email", "e-mail", "email address", "e-mail address", "mail", "email 1",
            "primary email", "work email", "e-mail-adresse", "emailadresse", "courriel",
            "adresse e-mail", "adresse email", "correo", "correo electronico",
        ),
        "phone": (
            "phone", "phone number", "telephone", "telephone number", "tel", "mobile",
            "mobile phone", "mobile number", "cell", "cell phone", "work phone", "business phone",
            "phone 1", "telefon", "telefonnummer", "handy", "mobil", "mobilnummer", "portable",
            "numero de telephone", "telefono", "movil", "celular",
        ),
        "source": (
            "source", "lead source", "origin", "quelle", "lead-quelle", "herkunft",
            "origine", "source du prospect", "fuente", "origen", "fuente del lead",
        ),
        "campaign": (
            "campaign", "campaign name", "kampagne", "campagne", "campana", "nombre de campana",
        ),
        "customer_type": (
            "customer type", "type", "b2b/b2c", "segment", "customer segment", "kundentyp",
            "kundenart", "type de client", "tipo de cliente",
        ),
        "temperature": ("temperature", "rating", "lead rating", "temperatur", "temperatura"),
        "notes": (
            "notes", "note", "comments", "comment", "description", "remarks", "notizen",
            "notiz", "bemerkung", "bemerkungen", "kommentar", "anmerkungen", "remarques",
            "commentaire", "commentaires", "notas", "comentarios", "observaciones",
        ),
        "created_at": (
            "created", "created date", "created at", "date created", "creation date",
            "create date", "created on", "created time", "erstellt", "erstellt am",
            "erstelldatum", "angelegt am", "date de creation", "cree le", "fecha de creacion",
            "fecha creacion", "creado",
        ),
        "owner": (
            "owner", "lead owner", "contact owner", "owner name", "owner email", "assigned to",
            "record owner", "verantwortlich", "besitzer", "zustandig", "betreuer",
            "responsable", "proprietaire", "propietario",
        ),
    },
    "campaigns": {
        "name": (
            "name", "campaign", "campaign name", "kampagne", "kampagnenname", "campagne",
            "nom de la campagne", "campana", "nombre",
        ),
        "channel": ("channel", "type", "campaign type", "medium", "kanal", "canal", "tipo"),
        "objective": ("objective", "goal", "ziel", "objectif", "objetivo"),
        "audience": ("audience", "target audience", "zielgruppe", "cible", "publico objetivo"),
        "starts_on": (
            "starts", "start", "start date", "starts on", "begin", "beginn", "startdatum",
            "date de debut", "debut", "fecha de inicio", "inicio",
        ),
        "ends_on": (
            "ends", "end", "end date", "ends on", "ende", "enddatum", "date de fin", "fin",
            "fecha de fin",
        ),
        "planned_budget": (
            "planned budget", "budget", "budgeted cost", "budgeted cost in campaign",
            "budget geplant", "presupuesto",
        ),
        "actual_spend": (
            "actual spend", "spend", "actual cost", "actual cost in campaign", "cost", "kosten",
            "ausgaben", "depenses", "cout", "gasto", "coste",
        ),
        "status": ("status", "statut", "estado"),
        "owner": ("owner", "campaign owner", "verantwortlich", "responsable", "propietario"),
        "impressions": ("impressions", "impressionen", "impresiones"),
        "clicks": ("clicks", "visits", "klicks", "besuche", "clics", "visites", "visitas"),
        "engagements": ("engagements", "engagement", "interactions", "interacciones"),
    },
    "deals": {
        "title": (
            "title", "deal", "deal name", "opportunity", "opportunity name", "name",
            "titel", "verkaufschance", "affaire", "opportunite", "titre", "oportunidad", "titulo",
        ),
        "value": (
            "value", "amount", "deal value", "wert", "betrag", "montant", "valeur", "importe",
            "valor",
        ),
        "currency": ("currency", "currency code", "wahrung", "devise", "moneda"),
        "stage": ("stage", "deal stage", "phase", "stufe", "etape", "etapa", "fase"),
        "probability": (
            "probability", "probability (%)", "win probability", "wahrscheinlichkeit",
            "probabilite", "probabilidad",
        ),
        "expected_close": (
            "expected close", "close date", "expected close date", "closing date",
            "abschlussdatum", "date de cloture", "fecha de cierre",
        ),
        "owner": (
            "owner", "deal owner", "opportunity owner", "verantwortlich", "responsable",
            "propietario",
        ),
        "lead": (
            "lead email", "contact email", "email", "e-mail", "lead e-mail", "kontakt e-mail",
            "courriel", "correo",
        ),
        "created_at": ("created", "created date", "created at", "erstellt", "date de creation"),
    },
}  # fmt: skip


def _aliases() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for kind, fields in FIELDS.items():
        known: dict[str, str] = {}
        for name, field in fields.items():
            for word in (name, field.label, *_HEADERS[kind].get(name, ())):
                known.setdefault(simplify(word), name)
        table[kind] = known
    return table


ALIASES = _aliases()
# A lone "Name" is the whole name, but beside a first-name column it is the surname, and beside
# a last-name column the first name ("Nombre" + "Apellidos", "Prénom" + "Nom").
_EITHER_HALF = {"name", "nom", "nombre"}


def check_kind(kind: str) -> str:
    if kind not in FIELDS:
        raise UserError(f"Tandem imports {', '.join(KINDS)}; '{kind}' is not one of them.")
    return kind


def guess_mapping(kind: str, headers: Sequence[str]) -> Mapping:
    """Each column whose header Tandem recognises, mapped to its field; the first column wins
    when two name the same field."""
    known = ALIASES[check_kind(kind)]
    mapping: Mapping = {}
    for index, header in enumerate(headers):
        field = known.get(simplify(header))
        if field and field not in mapping.values():
            mapping[index] = field
    if kind == "leads":
        fields = set(mapping.values())
        for index, field in list(mapping.items()):
            if field == "name" and simplify(headers[index]) in _EITHER_HALF:
                if "first_name" in fields and "last_name" not in fields:
                    mapping[index] = "last_name"
                elif "last_name" in fields and "first_name" not in fields:
                    mapping[index] = "first_name"
    return mapping


def apply_choices(
    kind: str, headers: Sequence[str], mapping: Mapping, choices: Sequence[str]
) -> Mapping:
    """The mapping with the user's COLUMN=field choices applied (field 'ignore' drops a column).
    COLUMN is a header as written, or the column's number counting from 1."""
    fields = FIELDS[check_kind(kind)]
    result = dict(mapping)
    for choice in choices:
        column, sep, field = choice.rpartition("=")
        column, field = column.strip(), field.strip().lower().replace(" ", "_")
        if not sep or not column:
            raise UserError(
                f"Write each mapping as COLUMN=field, for example 'E-mail=email'; got '{choice}'."
            )
        if field != IGNORE and field not in fields:
            raise UserError(
                f"'{field}' is not a field of {kind}; use one of: {', '.join(fields)} or {IGNORE}."
            )
        index = find_column(headers, column)
        if field != IGNORE:
            for other, taken in list(result.items()):
                if taken == field and other != index:
                    del result[other]  # the user's choice replaces the guess
        if field == IGNORE:
            result.pop(index, None)
        else:
            result[index] = field
    return result


def find_column(headers: Sequence[str], column: str) -> int:
    for index, header in enumerate(headers):
        if header == column:
            return index
    wanted = simplify(column)
    for index, header in enumerate(headers):
        if wanted and simplify(header) == wanted:
            return index
    if column.isdigit() and 1 <= int(column) <= len(headers):
        return int(column) - 1
    raise UserError(f"The file has no column '{column}'; its columns are: {', '.join(headers)}.")


def check_mapping(kind: str, headers: Sequence[str], mapping: Mapping) -> None:
    """Refuse a mapping that cannot make a single record, or that fills a field twice."""
    fields = FIELDS[check_kind(kind)]
    seen: dict[str, int] = {}
    for index, field in mapping.items():
        if field not in fields:
            raise UserError(f"'{field}' is not a field of {kind}.")
        if not 0 <= index < len(headers):
            raise UserError(f"The file has no column {index + 1}.")
        if field in seen:
            raise UserError(
                f"Both '{headers[seen[field]]}' and '{headers[index]}' are mapped to "
                f"{fields[field].label.lower()}; map one column to each field."
            )
        seen[field] = index
    needed = {
        "leads": ({"name", "first_name", "last_name", "company"}, "a name or a company"),
        "campaigns": ({"name"}, "the campaign's name"),
        "deals": ({"title"}, "the deal's title"),
    }[kind]
    if not needed[0] & set(seen):
        raise UserError(
            f"No column is mapped to {needed[1]}, so no {kind[:-1]} could be made. Columns: "
            f"{', '.join(headers)}."
        )
