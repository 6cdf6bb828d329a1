"""The words other tools and people use for Tandem's fixed choices: sources, channels, stages."""

from __future__ import annotations

from app.io.values import simplify
from app.models import (
    CAMPAIGN_STATUSES,
    CHANNELS,
    CUSTOMER_TYPES,
    DEAL_STAGES,
    LEAD_SOURCES,
    TEMPERATURES,
)

_WORDS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("leads", "source"): {
        "campaign": ("campaign", "kampagne", "campagne", "campana"),
        "cold_call": (
            "cold call", "cold calling", "kaltakquise", "kaltanruf", "telemarketing", "outbound",
            "appel a froid", "prospection telephonique", "llamada en frio",
        ),
        "networking": ("networking", "network", "netzwerk", "reseau", "red de contactos"),
        "referral": (
            "referral", "referred", "recommendation", "word of mouth", "customer referral",
            "partner referral", "employee referral", "empfehlung", "weiterempfehlung",
            "mundpropaganda", "recommandation", "parrainage", "referencia", "recomendacion",
        ),
        "other": ("other", "sonstige", "sonstiges", "andere", "autre", "autres", "otro", "otros"),
    },
    ("leads", "customer_type"): {
        "b2b": (
            "b2b", "business", "company", "corporate", "firma", "geschaftskunde", "gewerbe",
            "gewerblich", "entreprise", "professionnel", "empresa", "negocio",
        ),
        "b2c": (
            "b2c", "consumer", "private", "individual", "person", "privat", "privatkunde",
            "privatperson", "verbraucher", "endkunde", "particulier", "particular",
            "consumidor",
        ),
    },
    ("leads", "temperature"): {
        "cold": ("cold", "kalt", "froid", "frio"),
        "warm": ("warm", "lauwarm", "tiede", "tibio", "templado"),
        "qualified": (
            "qualified", "hot", "mql", "marketing qualified", "qualifiziert", "heiss", "qualifie",
            "chaud", "cualificado", "calificado", "caliente",
        ),
    },
    ("campaigns", "channel"): {
        "social_ads": (
            "social", "social ads", "social media", "paid social", "facebook", "instagram",
            "linkedin", "tiktok", "twitter", "soziale medien", "reseaux sociaux", "redes sociales",
        ),
        "search_ppc": (
            "search", "ppc", "sem", "sea", "paid search", "google ads", "adwords", "bing ads",
            "search ppc", "suchmaschinenwerbung",
        ),
        "seo_content": ("seo", "content", "content marketing", "blog", "inbound", "seo content"),
        "email_newsletter": (
            "email", "e-mail", "newsletter", "email newsletter", "email marketing",
            "e-mail-marketing", "courriel", "correo",
        ),
        "direct_mail": (
            "direct mail", "postal", "mail", "letter", "postwurf", "brief", "direktmarketing",
            "publipostage", "correo directo",
        ),
        "print": (
            "print", "print ads", "newspaper", "magazine", "press", "zeitung", "anzeige", "presse",
            "imprime", "prensa",
        ),
        "radio": ("radio", "podcast"),
        "event": (
            "event", "events", "trade show", "tradeshow", "fair", "exhibition", "conference",
            "webinar", "seminar", "messe", "konferenz", "veranstaltung", "salon", "evenement",
            "evento", "feria",
        ),
        "referral": ("referral", "referral program", "empfehlung", "parrainage", "referencia"),
        "other": ("other", "sonstige", "sonstiges", "autre", "otro"),
    },
    ("campaigns", "status"): {
        "planned": (
            "planned", "planning", "draft", "not started", "geplant", "in planung", "prevu",
            "planifie", "planificado", "previsto",
        ),
        "active": (
            "active", "in progress", "running", "live", "ongoing", "aktiv", "laufend",
            "en cours", "actif", "activo", "en curso",
        ),
        "finished": (
            "finished", "completed", "complete", "done", "ended", "closed", "aborted",
            "cancelled", "canceled", "beendet", "abgeschlossen", "termine", "finalizado",
            "completado", "terminado",
        ),
    },
    ("deals", "stage"): {
        "qualification": (
            "qualification", "prospecting", "needs analysis", "new", "qualifizierung",
            "neu", "qualifiee", "calificacion", "cualificacion", "prospeccion",
        ),
        "proposal": (
            "proposal", "value proposition", "proposal/price quote", "price quote", "quote",
            "quoted", "angebot", "proposition", "devis", "propuesta", "cotizacion",
        ),
        "negotiation": (
            "negotiation", "negotiation/review", "review", "id. decision makers",
            "perception analysis", "verhandlung", "negociation", "negociacion",
        ),
        "won": ("won", "closed won", "win", "gewonnen", "gagne", "gagnee", "ganado", "ganada"),
        "lost": (
            "lost", "closed lost", "loss", "verloren", "perdu", "perdue", "perdido", "perdida",
        ),
    },
}  # fmt: skip

ALLOWED = {
    ("leads", "source"): LEAD_SOURCES,
    ("leads", "customer_type"): CUSTOMER_TYPES,
    ("leads", "temperature"): TEMPERATURES,
    ("campaigns", "channel"): CHANNELS,
    ("campaigns", "status"): CAMPAIGN_STATUSES,
    ("deals", "stage"): DEAL_STAGES,
}
# Where a word Tandem does not know still says something, it is kept as "other" rather than
# refused: "Trade show" as a lead's source, "Webinar series" as a campaign's channel.
FALLBACK = {("leads", "source"): "other", ("campaigns", "channel"): "other"}


def _table() -> dict[tuple[str, str], dict[str, str]]:
    table: dict[tuple[str, str], dict[str, str]] = {}
    for key, allowed in ALLOWED.items():
        words = {simplify(value): value for value in allowed}
        for value, spellings in _WORDS.get(key, {}).items():
            for spelling in spellings:
                words.setdefault(simplify(spelling), value)
        table[key] = words
    return table


_TABLE = _table()


def choose(kind: str, field: str, text: str) -> str | None:
    """Tandem's value for what the cell says, or None when it says nothing Tandem knows."""
    found = _TABLE[(kind, field)].get(simplify(text))
    return found if found else FALLBACK.get((kind, field))
