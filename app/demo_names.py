"""Curated names, companies and phrases for the sample company, from many countries and scripts."""

from __future__ import annotations

from dataclasses import dataclass

# A name as shown, and an ASCII spelling of it for e-mail addresses.
Name = tuple[str, str]
# A surname's male and female forms (Polish, Czech, Greek and Russian surnames differ by gender).
Surname = tuple[Name, Name]


def _names(text: str) -> tuple[Name, ...]:
    """'Jürgen/juergen, Lukas' -> (('Jürgen', 'juergen'), ('Lukas', 'lukas'))."""
    found = []
    for item in text.split(","):
        shown, _, ascii_form = item.strip().partition("/")
        found.append((shown, ascii_form or _plain(shown)))
    return tuple(found)


def _surnames(text: str) -> tuple[Surname, ...]:
    """'Nowak, Kowalski|Kowalska' -> male and female forms (the same when there is no '|')."""
    found = []
    for item in text.split(","):
        male, _, female = item.strip().partition("|")
        (male_name,) = _names(male)
        (female_name,) = _names(female) if female else (male_name,)
        found.append((male_name, female_name))
    return tuple(found)


def _plain(shown: str) -> str:
    return "".join(ch for ch in shown.lower() if ch.isalnum())


@dataclass(frozen=True)
class Locale:
    """Where a lead comes from: how people there are named, reached and their firms called."""

    code: str
    weight: int  # relative share of leads from here
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    surnames: tuple[Surname, ...]
    phone_prefixes: tuple[str, ...]
    # "{last}" is replaced by a surname; names without it are used as they are.
    companies: tuple[str, ...]
    family_first: bool = False  # the surname is written first (Chinese, Japanese, Korean)
    joiner: str = " "


LOCALES: tuple[Locale, ...] = (
    Locale(
        code="de",
        weight=30,
        male=_names(
            "Jürgen/juergen, Jörg/joerg, Lukas, Maximilian, Felix, Sören/soeren, Björn/bjoern, "
            "Tobias, Matthias, Günther/guenther"
        ),
        female=_names(
            "Anna, Lena, Käthe/kaethe, Sophie, Jana, Mareike, Ute, Hannah, Jülide/juelide, Birte"
        ),
        surnames=_surnames(
            "Müller/mueller, Schmidt, Schneider, Fischer, Weiß/weiss, Schröder/schroeder, "
            "Köhler/koehler, Krüger/krueger, Hoffmann, Schäfer/schaefer, Bäcker/baecker, "
            "Groß/gross, Wagner, Becker, Zimmermann, Lößner/loessner"
        ),
        phone_prefixes=("+49 30", "+49 40", "+49 89", "+49 221", "+49 171", "+49 160", "+43 1"),
        companies=(
            "{last} Gartenbau GmbH",
            "Baumschule {last}",
            "{last} & Söhne KG",
            "Hotel {last}",
            "Gärtnerei {last}",
            "Landschaftsbau {last} GmbH",
            "Grünflächenamt Bezirk Mitte",
            "Friedhofsverwaltung Süd",
            "Wohnungsbaugenossenschaft Grüne Höfe eG",
        ),
    ),
    Locale(
        code="nl",
        weight=6,
        male=_names("Daan, Sem, Bram, Thijs, Joost, Ruud"),
        female=_names("Sanne, Femke, Lotte, Anouk, Eva, Mieke"),
        surnames=_surnames(
            "de Vries, van den Berg, Jansen, Bakker, Visser, Smit, de Jong, van Dijk, Meijer"
        ),
        phone_prefixes=("+31 20", "+31 10", "+31 6", "+32 2"),
        companies=("Hoveniersbedrijf {last}", "{last} Groen B.V.", "Tuincentrum {last}"),
    ),
    Locale(
        code="fr",
        weight=7,
        male=_names(
            "François/francois, Jérôme/jerome, Benoît/benoit, Théo/theo, Mathieu, Loïc/loic"
        ),
        female=_names(
            "Zoë/zoe, Chloé/chloe, Hélène/helene, Amélie/amelie, Anaïs/anais, Cécile/cecile"
        ),
        surnames=_surnames(
            "Lefèvre/lefevre, Dubois, Girard, Rousseau, Mercier, Lemaître/lemaitre, Fontaine, "
            "Bérenger/berenger"
        ),
        phone_prefixes=("+33 1", "+33 4", "+33 6", "+41 22"),
        companies=("Jardins {last} SARL", "Paysages {last}", "Pépinières {last}", "Château {last}"),
    ),
    Locale(
        code="es",
        weight=6,
        male=_names("José/jose, Álvaro/alvaro, Iñaki/inaki, Javier, Sergio, Andrés/andres"),
        female=_names("María/maria, Inés/ines, Begoña/begona, Lucía/lucia, Carmen, Nuria"),
        surnames=_surnames(
            "Núñez/nunez, Ibáñez/ibanez, Muñoz/munoz, García/garcia, Fernández/fernandez, "
            "Peña/pena, López/lopez, Martín/martin"
        ),
        phone_prefixes=("+34 91", "+34 93", "+34 6", "+52 55"),
        companies=("Jardinería {last} S.L.", "Viveros {last}", "Paisajismo {last}"),
    ),
    Locale(
        code="it",
        weight=5,
        male=_names("Niccolò/niccolo, Matteo, Lorenzo, Andrea, Giuseppe"),
        female=_names("Giulia, Chiara, Francesca, Martina, Alessia"),
        surnames=_surnames(
            "Rossi, Bianchi, Romano, Colombo, Ricci, Marino, Greco, De Luca/deluca, Galli"
        ),
        phone_prefixes=("+39 02", "+39 06", "+39 3"),
        companies=("Vivai {last}", "Giardini {last} S.r.l.", "Verde {last}"),
    ),
    Locale(
        code="pt",
        weight=3,
        male=_names("João/joao, Gonçalo/goncalo, Tiago, Rui"),
        female=_names("Inês/ines, Beatriz, Mariana, Leonor"),
        surnames=_surnames(
            "Gonçalves/goncalves, Araújo/araujo, Magalhães/magalhaes, Simões/simoes, Ferreira, "
            "Conceição/conceicao"
        ),
        phone_prefixes=("+351 21", "+351 91", "+55 11"),
        companies=("Jardins {last} Lda.", "Viveiros {last}"),
    ),
    Locale(
        code="pl",
        weight=6,
        male=_names("Łukasz/lukasz, Wojciech, Paweł/pawel, Krzysztof, Michał/michal"),
        female=_names("Małgorzata/malgorzata, Zofia, Agnieszka, Katarzyna, Bożena/bozena"),
        surnames=_surnames(
            "Nowak, Wójcik/wojcik, Kowalczyk, Mazur, Zając/zajac, Wróbel/wrobel, "
            "Kowalski|Kowalska, Wiśniewski/wisniewski|Wiśniewska/wisniewska, "
            "Lewandowski|Lewandowska"
        ),
        phone_prefixes=("+48 22", "+48 12", "+48 5"),
        companies=("{last} Ogrody Sp. z o.o.", "Szkółka Roślin {last}", "Zieleń Miejska Łódź"),
    ),
    Locale(
        code="cz",
        weight=3,
        male=_names("Jiří/jiri, Tomáš/tomas, Petr, Ondřej/ondrej"),
        female=_names("Tereza, Lucie, Kateřina/katerina, Markéta/marketa"),
        surnames=_surnames(
            "Dvořák/dvorak|Dvořáková/dvorakova, Novák/novak|Nováková/novakova, "
            "Svoboda|Svobodová/svobodova, Černý/cerny|Černá/cerna, "
            "Procházka/prochazka|Procházková/prochazkova"
        ),
        phone_prefixes=("+420 2", "+420 6", "+420 7"),
        companies=("Zahradnictví {last} s.r.o.", "Školky {last}"),
    ),
    Locale(
        code="nordic",
        weight=4,
        male=_names("Søren/soeren, Bjørn/bjoern, Lars, Mikkel, Åke/ake"),
        female=_names("Åsa/asa, Ingrid, Freja, Sigrid, Mette"),
        surnames=_surnames(
            "Jørgensen/joergensen, Nielsen, Andersson, Lindqvist, Østergaard/oestergaard, "
            "Håkansson/hakansson, Sjöberg/sjoeberg"
        ),
        phone_prefixes=("+45 33", "+46 8", "+47 22"),
        companies=("{last} Trädgård AB", "{last} Anlæg ApS", "Planteskolen {last}"),
    ),
    Locale(
        code="en",
        weight=6,
        male=_names("Oliver, James, Harry, Seán/sean, Liam"),
        female=_names("Amelia, Olivia, Siobhán/siobhan, Emily, Grace"),
        surnames=_surnames("Smith, Jones, Taylor, O'Brien/obrien, Murphy, Walsh, Evans, Clarke"),
        phone_prefixes=("+44 20", "+44 161", "+353 1", "+1 212"),
        companies=("{last} Landscapes Ltd", "{last} & Sons Garden Centre", "{last} Grounds Care"),
    ),
    Locale(
        code="tr",
        weight=5,
        male=_names("Mehmet, Mustafa, Emre, Çağrı/cagri, Barış/baris"),
        female=_names("Ayşe/ayse, Elif, Zeynep, Gülşen/gulsen, Özlem/ozlem"),
        surnames=_surnames(
            "Yılmaz/yilmaz, Kaya, Demir, Şahin/sahin, Çelik/celik, Öztürk/ozturk, Aydın/aydin"
        ),
        phone_prefixes=("+90 212", "+90 312", "+90 5"),
        companies=("{last} Peyzaj A.Ş.", "{last} Fidancılık", "Yeşil Bahçe Ltd. Şti."),
    ),
    Locale(
        code="gr",
        weight=3,
        male=_names(
            "Νίκος/nikos, Γιώργος/giorgos, Δημήτρης/dimitris, Κώστας/kostas, Γιάννης/giannis"
        ),
        female=_names(
            "Μαρία/maria, Ελένη/eleni, Κατερίνα/katerina, Σοφία/sofia, Δέσποινα/despoina"
        ),
        surnames=_surnames(
            "Παπαδόπουλος/papadopoulos|Παπαδοπούλου/papadopoulou, Γεωργίου/georgiou, "
            "Οικονόμου/oikonomou, Παπαδάκης/papadakis|Παπαδάκη/papadaki, "
            "Καραγιάννης/karagiannis|Καραγιάννη/karagianni, Αθανασίου/athanasiou"
        ),
        phone_prefixes=("+30 21", "+30 231", "+30 69"),
        companies=("Πράσινος Κήπος Α.Ε.", "Φυτώριο Αττικής", "Κηποτεχνική Θεσσαλονίκης"),
    ),
    Locale(
        code="ru",
        weight=2,
        male=_names("Алексей/aleksey, Дмитрий/dmitry, Сергей/sergey, Михаил/mikhail"),
        female=_names("Анна/anna, Екатерина/ekaterina, Ольга/olga, Наталья/natalya"),
        surnames=_surnames(
            "Иванов/ivanov|Иванова/ivanova, Смирнов/smirnov|Смирнова/smirnova, "
            "Кузнецов/kuznetsov|Кузнецова/kuznetsova, Соколов/sokolov|Соколова/sokolova, "
            "Волков/volkov|Волкова/volkova"
        ),
        phone_prefixes=("+7 495", "+7 812", "+7 9"),
        companies=("ООО «Зелёный сад»", "ООО «Ландшафт-Про»", "ООО «Садовый мир»"),
    ),
    Locale(
        code="ua",
        weight=2,
        male=_names("Андрій/andriy, Олександр/oleksandr, Тарас/taras, Богдан/bohdan"),
        female=_names("Оксана/oksana, Ірина/iryna, Олена/olena, Юлія/yuliia"),
        surnames=_surnames(
            "Шевченко/shevchenko, Коваленко/kovalenko, Бондаренко/bondarenko, Мельник/melnyk, "
            "Ткаченко/tkachenko"
        ),
        phone_prefixes=("+380 44", "+380 67"),
        companies=("ТОВ «Зелена садиба»", "ТОВ «Агросад»", "ФОП {last}"),
    ),
    Locale(
        code="jp",
        weight=3,
        male=_names("翔太/shota, 健/ken, 大輔/daisuke, 拓也/takuya"),
        female=_names("陽子/yoko, 美咲/misaki, さくら/sakura, 愛/ai"),
        surnames=_surnames(
            "佐藤/sato, 鈴木/suzuki, 高橋/takahashi, 田中/tanaka, 渡辺/watanabe, 伊藤/ito, "
            "山本/yamamoto, 中村/nakamura"
        ),
        phone_prefixes=("+81 3", "+81 6", "+81 90"),
        companies=("{last}造園株式会社", "株式会社 緑園", "グリーンガーデン株式会社"),
        family_first=True,
    ),
    Locale(
        code="cn",
        weight=4,
        male=_names("伟/wei, 强/qiang, 磊/lei, 军/jun, 浩然/haoran"),
        female=_names("芳/fang, 娜/na, 秀英/xiuying, 静/jing, 丽/li"),
        surnames=_surnames("王/wang, 李/li, 张/zhang, 刘/liu, 陈/chen, 杨/yang, 黄/huang, 赵/zhao"),
        phone_prefixes=("+86 10", "+86 21", "+86 138"),
        companies=("北京绿景园林有限公司", "上海花园科技有限公司", "广州绿洲园艺有限公司"),
        family_first=True,
        joiner="",
    ),
    Locale(
        code="kr",
        weight=2,
        male=_names("민준/minjun, 서준/seojun, 지훈/jihoon, 도윤/doyun"),
        female=_names("서연/seoyeon, 지우/jiwoo, 하은/haeun, 수아/sua"),
        surnames=_surnames("김/kim, 이/lee, 박/park, 최/choi, 정/jung, 강/kang"),
        phone_prefixes=("+82 2", "+82 10"),
        companies=("(주)푸른정원", "한빛조경 주식회사", "초록농원"),
        family_first=True,
        joiner="",
    ),
    Locale(
        code="ar",
        weight=3,
        male=_names("محمد/muhammad, أحمد/ahmad, عمر/omar, يوسف/yousef, خالد/khaled"),
        female=_names("فاطمة/fatima, مريم/maryam, ليلى/layla, نور/nour, سارة/sara"),
        surnames=_surnames(
            "الحسن/alhassan, العلي/alali, منصور/mansour, حداد/haddad, الخطيب/alkhatib, "
            "النجار/alnajjar"
        ),
        phone_prefixes=("+971 4", "+966 11", "+20 2", "+961 1"),
        companies=("شركة الواحة للحدائق", "مشاتل النخيل", "الحدائق الخضراء للتجارة"),
    ),
    Locale(
        code="in",
        weight=3,
        male=_names("राहुल/rahul, अमित/amit, विकास/vikas, संजय/sanjay, अर्जुन/arjun"),
        female=_names("प्रिया/priya, अंजलि/anjali, सुनीता/sunita, पूजा/pooja, नेहा/neha"),
        surnames=_surnames("शर्मा/sharma, वर्मा/verma, गुप्ता/gupta, सिंह/singh, पटेल/patel, जोशी/joshi"),
        phone_prefixes=("+91 11", "+91 22", "+91 98"),
        companies=("हरित उद्यान प्रा. लि.", "ग्रीनलीफ नर्सरी", "{last} बागवानी सेवाएँ"),
    ),
)

# The sample company's own team: (name, e-mail user, role).
TEAM: tuple[tuple[str, str, str], ...] = (
    ("Katharina Brückner", "katharina.brueckner", "owner"),
    ("Zoë Laurent", "zoe.laurent", "marketing"),
    ("Mehmet Yılmaz", "mehmet.yilmaz", "marketing"),
    ("Łukasz Wiśniewski", "lukasz.wisniewski", "sales"),
    ("Νίκος Παπαδόπουλος", "nikos.papadopoulos", "sales"),
    ("Ana Núñez", "ana.nunez", "sales"),
)
TEAM_DOMAIN = "northwind-garden.example"

# What the company sells: (deal title part, typical B2B value, typical B2C value) in EUR.
PRODUCTS: tuple[tuple[str, int, int], ...] = (
    ("Drip irrigation system", 9000, 1200),
    ("Greenhouse kit", 14000, 2600),
    ("Landscaping contract", 24000, 3500),
    ("Garden furniture set", 6000, 1400),
    ("Seasonal planting service", 7500, 700),
    ("Commercial lawn care (annual)", 12000, 900),
    ("Pond and water feature", 16000, 4200),
    ("Tool rental subscription", 3000, 300),
    ("Tree and hedge care", 5000, 600),
    ("Rooftop garden", 38000, 6800),
)

# Existing customers that order again without a lead (direct deals).
REPEAT_CUSTOMERS: tuple[str, ...] = (
    "Stadtpark Charlottenburg",
    "Hotel Adlon Gärten",
    "Campus Adlershof",
    "Zoo Leipzig Grünpflege",
    "Kleingartenverein Sonnenblume e.V.",
    "Jardins du Luxembourg (Service)",
    "Tivoli Gardens Facility",
)

OUTCOMES: dict[str, tuple[str, ...]] = {
    "call": (
        "Reached them, interested in a quote",
        "Discussed their garden and budget",
        "Asked to call back next week",
        "Spoke to the facility manager",
        "Confirmed the site visit",
    ),
    "email": (
        "Sent the catalogue and price list",
        "Sent an introduction and references",
        "Answered questions about delivery",
        "Sent the offer as PDF",
    ),
    "meeting": (
        "Site visit, measured the area",
        "Met the buyer at their office",
        "Video call with the decision makers",
    ),
    "demo": (
        "Showed the irrigation controller app",
        "Demonstrated the greenhouse kit",
        "Walked through a reference project",
    ),
    "note": (
        "Budget approved for spring",
        "Decision maker is the head of facilities",
        "Prefers e-mail to phone calls",
        "Compares us with two other suppliers",
        "Wants everything installed before the season",
    ),
}
NO_REPLY: tuple[str, ...] = ("No answer", "Left a voicemail", "E-mail not answered")

LEAD_NOTES: tuple[str, ...] = (
    "Asked for the printed catalogue.",
    "Met at our trade fair stand.",
    "Downloaded the irrigation guide.",
    "Interested in a maintenance contract.",
    "Wants a call after 16:00.",
    "Recommended by an existing customer.",
)
REJECTION_NOTES: tuple[str, ...] = (
    "Hobby gardener, wants a single hose.",
    "Same person as an open lead from last month.",
    "Switchboard number only; nobody knows the name.",
    "Outside our delivery area.",
    "Student project, no purchase planned.",
)
DISQUALIFICATION_NOTES: tuple[str, ...] = (
    "Board postponed the project to next year.",
    "Ordered from a local competitor.",
    "Tried for three weeks; no reply.",
    "Decided to do it themselves.",
)
LOSS_NOTES: tuple[str, ...] = (
    "Competitor was 15% cheaper.",
    "Budget moved to another project.",
    "Went silent after the proposal.",
    "Wants to start next season instead.",
)
