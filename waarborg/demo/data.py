"""The demo world's data: Duinhost B.V., a fictional Dutch hosting provider, and its customers.

Plain data, read by the builder (`builder.py`, which creates the world): the sign-ins for staff
of every role and two customer portal accounts (all with `DEMO_PASSWORD`), the product
catalogue, about 25 customers (companies, sole traders and private persons) with their contact
persons, services and how they pay, the support tickets and the register of recipients. Beside
the data, what the start page and `waarborg demo` show of it: the sign-ins with their published
authenticator keys, and whether they are in the database.

All e-mail addresses and domain names use the reserved `.example` top-level domain; IP addresses
come from the documentation ranges.
"""

from __future__ import annotations

import hashlib
from base64 import b32encode
from decimal import Decimal

from django.db import DatabaseError

from waarborg.accounts.models import Account
from waarborg.core import roles

DEMO_PASSWORD = "waarborg-demo"
STAFF_DOMAIN = "duinhost.example"

DEMO_LOGINS: list[dict] = [
    {
        "role": roles.SUPPORT,
        "label": "Support",
        "name": "Mila de Graaf",
        "email": f"support@{STAFF_DOMAIN}",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.FINANCE,
        "label": "Financiën",
        "name": "Joris Verhoeven",
        "email": f"finance@{STAFF_DOMAIN}",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.PRIVACY,
        "label": "Privacy officer",
        "name": "Esther Postma",
        "email": f"privacy@{STAFF_DOMAIN}",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.ADMIN,
        "label": "Beheerder",
        "name": "Wouter Koster",
        "email": f"admin@{STAFF_DOMAIN}",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.CUSTOMER,
        "label": "Klant (Bakkerij Jansen B.V.)",
        "name": "Anouk Jansen",
        "email": "anouk@bakkerijjansen.example",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.CUSTOMER,
        "label": "Klant (particulier)",
        "name": "Sanne de Vries",
        "email": "sanne.devries@mail.example",
        "password": DEMO_PASSWORD,
    },
]

# The product catalogue: one product per service kind of the statement (S1).
CATALOGUE: list[tuple[str, str, str, str]] = [
    # code, kind, name, monthly price excl. VAT
    ("WEBSITE-BASIS", "website", "Website Basis (sitebouwer)", "14.95"),
    ("HOSTING-M", "webhosting", "Webhosting Medium (10 GB)", "7.95"),
    ("MAIL-5", "email_hosting", "E-mailhosting (5 postvakken)", "4.95"),
    ("VPS-2-4", "vps", "CloudinVPS 2 vCPU / 4 GB", "19.95"),
    ("DOMEIN-NL", "domain", "Domeinnaam .nl", "0.83"),
    ("BACKUP-100", "backup", "Online back-up 100 GB", "5.95"),
    ("ESG", "email_security", "E-mail Security Gateway (per postvak)", "1.25"),
    ("SSL-DV", "ssl", "SSL-certificaat (DV)", "2.08"),
    ("SEO-START", "marketing", "Online marketing Start", "149.00"),
    ("DEV-ONDERHOUD", "development", "Webshop-ontwikkeling en onderhoud", "95.00"),
    ("APP-WORDPRESS", "applications", "WordPress-applicatiebeheer", "9.95"),
]

VAT_RATE = Decimal("21")

# The customers. kind: org / sole / private. pay: a PaymentMethod kind. Flags drive the
# situations the demo should show: overdue invoices, partial payments, a blocked service, a
# customer leaving and one who has left.
# fmt: off
CUSTOMERS: list[dict] = [
    {"name": "Bakkerij Jansen B.V.", "kind": "org", "town": "Haarlem", "domain": "bakkerijjansen.example",
     "contacts": [("Anouk", "Jansen", "primary", "anouk"), ("Kees", "Jansen", "billing", "administratie")],
     "products": ["domain", "webhosting", "email_hosting", "ssl", "website"], "pay": "sepa_mandate"},
    {"name": "Van der Meer Installatietechniek B.V.", "kind": "org", "town": "Utrecht", "domain": "vandermeer-installatie.example",
     "contacts": [("Willem", "van der Meer", "primary", "willem"), ("Ingrid", "Bos", "billing", "facturen"), ("Jesse", "Kok", "technical", "jesse.kok")],
     "products": ["domain", "webhosting", "email_hosting", "email_security", "backup"], "pay": "sepa_mandate"},
    {"name": "Stichting Duinbehoud Zandvoort", "kind": "org", "town": "Zandvoort", "domain": "duinbehoud.example",
     "contacts": [("Marieke", "Dekker", "primary", "secretariaat")],
     "products": ["domain", "webhosting", "email_hosting"], "pay": "transfer", "vat": False},
    {"name": "Fietsenmakerij De Spaak B.V.", "kind": "org", "town": "Leiden", "domain": "despaak.example",
     "contacts": [("Bram", "Visser", "primary", "bram")],
     "products": ["domain", "webhosting", "development", "marketing"], "pay": "transfer", "overdue": 3, "blocked": True},
    {"name": "Advocatenkantoor Hendriks & Bos", "kind": "org", "town": "Den Haag", "domain": "hendriksbos-advocaten.example",
     "contacts": [("Saskia", "Hendriks", "primary", "s.hendriks"), ("Joost", "Bos", "billing", "j.bos"), ("Niels", "de Graaf", "technical", "it")],
     "products": ["domain", "email_hosting", "email_security", "backup", "vps", "ssl"], "pay": "sepa_mandate"},
    {"name": "Koffiebranderij Meijer B.V.", "kind": "org", "town": "Rotterdam", "domain": "koffiemeijer.example",
     "contacts": [("Femke", "Meijer", "primary", "femke"), ("Mark", "Meijer", "technical", "mark")],
     "products": ["domain", "webhosting", "website", "applications", "marketing"], "pay": "transfer", "partial": True},
    {"name": "Architectenbureau Kuipers B.V.", "kind": "org", "town": "Amsterdam", "domain": "kuipers-architecten.example",
     "contacts": [("Jeroen", "Kuipers", "primary", "jeroen"), ("Lisa", "van Dam", "billing", "boekhouding")],
     "products": ["domain", "vps", "backup", "ssl", "email_hosting"], "pay": "sepa_mandate"},
    {"name": "Tandartspraktijk Molenaar B.V.", "kind": "org", "town": "Amersfoort", "domain": "tandartsmolenaar.example",
     "contacts": [("Eva", "Molenaar", "primary", "praktijk")],
     "products": ["domain", "webhosting", "email_hosting", "ssl"], "pay": "sepa_mandate"},
    {"name": "Boekhandel Het Leesteken B.V.", "kind": "org", "town": "Groningen", "domain": "hetleesteken.example",
     "contacts": [("Hugo", "Dijkstra", "primary", "hugo"), ("Noor", "Hoekstra", "billing", "administratie")],
     "products": ["domain", "webhosting", "development", "applications"], "pay": "transfer"},
    {"name": "Brouwerij De Zeemeeuw B.V.", "kind": "org", "town": "Leeuwarden", "domain": "dezeemeeuw.example",
     "contacts": [("Maarten", "de Haan", "primary", "maarten"), ("Fleur", "Prins", "technical", "fleur")],
     "products": ["domain", "webhosting", "email_hosting", "marketing"], "pay": "sepa_mandate", "status": "terminating"},
    {"name": "Camping De Duinrand B.V.", "kind": "org", "town": "Middelburg", "domain": "deduinrand.example",
     "contacts": [("Gerrit", "Blom", "primary", "receptie"), ("Roos", "Blom", "billing", "roos")],
     "products": ["domain", "webhosting", "applications", "ssl", "backup"], "pay": "ideal"},
    {"name": "Tennisvereniging Lindenhof", "kind": "org", "town": "Nijmegen", "domain": "tvlindenhof.example",
     "contacts": [("Tim", "Willems", "primary", "bestuur")],
     "products": ["domain", "webhosting", "email_hosting"], "pay": "transfer", "vat": False, "status": "ended"},
    {"name": "Fotografie De Wit", "kind": "sole", "town": "Arnhem", "domain": "fotografiedewit.example",
     "contacts": [("Lotte", "de Wit", "primary", "lotte")],
     "products": ["domain", "webhosting", "backup", "website"], "pay": "sepa_mandate"},
    {"name": "Klusbedrijf Bakker", "kind": "sole", "town": "Tilburg", "domain": "klusbedrijfbakker.example",
     "contacts": [("Henk", "Bakker", "primary", "info")],
     "products": ["domain", "website", "email_hosting"], "pay": "transfer", "overdue": 1},
    {"name": "Vertaalbureau Mulder", "kind": "sole", "town": "Utrecht", "domain": "vertaalbureaumulder.example",
     "contacts": [("Sophie", "Mulder", "primary", "sophie")],
     "products": ["domain", "email_hosting", "email_security"], "pay": "sepa_mandate"},
    {"name": "Yogastudio Visser", "kind": "sole", "town": "Eindhoven", "domain": "yogastudiovisser.example",
     "contacts": [("Mila", "Visser", "primary", "namaste")],
     "products": ["domain", "website", "marketing"], "pay": "transfer", "partial": True},
    {"name": "Schildersbedrijf De Boer", "kind": "sole", "town": "Breda", "domain": "schilderdeboer.example",
     "contacts": [("Gerrit", "de Boer", "primary", "gerrit")],
     "products": ["domain", "webhosting"], "pay": "sepa_mandate"},
    {"name": "Hoveniersbedrijf Dekker", "kind": "sole", "town": "Enschede", "domain": "hovenierdekker.example",
     "contacts": [("Koen", "Dekker", "primary", "koen")],
     "products": ["domain", "website"], "pay": "ideal"},
    {"name": "Webdesign Yilmaz", "kind": "sole", "town": "Deventer", "domain": "webdesignyilmaz.example",
     "contacts": [("Mehmet", "Yilmaz", "primary", "mehmet"), ("Naima", "Yilmaz", "billing", "administratie")],
     "products": ["domain", "vps", "ssl", "applications"], "pay": "sepa_mandate"},
    {"name": "Muziekles Vermeulen", "kind": "sole", "town": "Delft", "domain": "muziekles-vermeulen.example",
     "contacts": [("Bas", "Vermeulen", "primary", "bas")],
     "products": ["domain", "website"], "pay": "ideal", "kvk": False, "since_days": 95},
    {"name": "Sanne de Vries", "kind": "private", "town": "Amsterdam", "domain": "sannedevries.example",
     "products": ["domain", "webhosting", "email_hosting"], "pay": "sepa_mandate", "email": "sanne.devries@mail.example"},
    {"name": "Thomas van Dijk", "kind": "private", "town": "Rotterdam", "domain": "thomasvandijk.example",
     "products": ["domain", "vps"], "pay": "sepa_mandate", "email": "thomas@vandijk-thuis.example"},
    {"name": "Fatima El Amrani", "kind": "private", "town": "Den Haag", "domain": "fatimaelamrani.example",
     "products": ["domain", "website"], "pay": "ideal", "email": "fatima.elamrani@mail.example"},
    {"name": "Emma Peters", "kind": "private", "town": "Maastricht", "domain": "emmapeters.example",
     "products": ["domain", "backup"], "pay": "sepa_mandate", "email": "emma.peters@post.example"},
    {"name": "Ruben Kok", "kind": "private", "town": "Groningen", "domain": "rubenkok.example",
     "products": ["domain", "email_hosting"], "pay": "transfer", "email": "ruben.kok@mail.example", "overdue": 2,
     "paper": True},
    {"name": "Yasmina Öztürk", "kind": "private", "town": "Eindhoven", "domain": "yasmina-ozturk.example",
     "products": ["domain", "webhosting", "ssl"], "pay": "sepa_mandate", "email": "yasmina.ozturk@post.example"},
]
# fmt: on

# The support tickets, with their messages in ("in") and out ("out"), oldest first when built.
TICKETS: list[dict] = [
    {
        "customer": "Bakkerij Jansen B.V.",
        "subject": "E-mail komt niet aan op bestellingenadres",
        "status": "closed",
        "days_ago": 64,
        "messages": [
            (
                "in",
                "Goedemorgen,\n\nSinds gisteren ontvangen wij geen e-mail meer op ons bestellingenadres. Klanten bellen ons dat hun mail terugkomt. Kunnen jullie kijken wat er mis is?\n\nMet vriendelijke groet,\nAnouk Jansen",
            ),
            (
                "out",
                "Beste Anouk,\n\nDank voor je melding. Het postvak zat vol (5 GB), daardoor werd nieuwe mail geweigerd. We hebben de limiet tijdelijk verhoogd; je ontvangt weer e-mail. Ruim oude berichten op of kies een groter pakket in het klantportaal.\n\nMet vriendelijke groet,\nMila de Graaf\nDuinhost support",
            ),
            ("in", "Top, het werkt weer. Bedankt voor de snelle hulp!"),
        ],
    },
    {
        "customer": "Van der Meer Installatietechniek B.V.",
        "subject": "SSL-melding in de browser",
        "status": "waiting",
        "days_ago": 6,
        "messages": [
            (
                "in",
                "Hallo,\n\nBezoekers krijgen een waarschuwing dat onze website niet veilig is. Hebben wij iets vergeten te verlengen?\n\nGroet,\nJesse Kok",
            ),
            (
                "out",
                "Beste Jesse,\n\nUw website draait op webhosting zonder SSL-certificaat. U kunt een certificaat bestellen in het klantportaal; wij installeren het dan automatisch. Zullen wij dat voor u doen?\n\nMet vriendelijke groet,\nDuinhost support",
            ),
        ],
    },
    {
        "customer": "Sanne de Vries",
        "subject": "Domein koppelen aan mijn nieuwe website",
        "status": "open",
        "days_ago": 3,
        "messages": [
            (
                "in",
                "Hoi,\n\nIk heb een website laten maken bij een ander bureau. Hoe koppel ik mijn domeinnaam daaraan zonder dat mijn e-mail stopt?\n\nGroetjes, Sanne",
            ),
            (
                "out",
                "Hoi Sanne,\n\nPas alleen het A-record van je domein aan naar het IP-adres dat het bureau je geeft; de MX-records voor je e-mail laat je staan. Wil je dat wij het voor je doen? Stuur ons dan het IP-adres.\n\nGroet,\nMila",
            ),
            ("in", "Dank je! Ik vraag het IP-adres op en stuur het door."),
        ],
    },
    {
        "customer": "Fietsenmakerij De Spaak B.V.",
        "subject": "Website niet bereikbaar",
        "status": "open",
        "days_ago": 2,
        "messages": [
            (
                "in",
                "Onze website is sinds vanochtend niet bereikbaar. Klanten kunnen geen reparatie meer inplannen. Wat is er aan de hand?\n\nBram Visser",
            ),
            (
                "out",
                "Beste heer Visser,\n\nDe webhosting is geblokkeerd omdat er drie facturen openstaan, ondanks de herinneringen. Zodra de betaling binnen is, heffen wij de blokkade dezelfde werkdag op. Wilt u een betalingsregeling, laat het ons weten.\n\nMet vriendelijke groet,\nDuinhost support",
            ),
        ],
    },
    {
        "customer": "Advocatenkantoor Hendriks & Bos",
        "subject": "Extra postvak voor nieuwe collega",
        "status": "closed",
        "days_ago": 120,
        "messages": [
            (
                "in",
                "Goedemiddag,\n\nVolgende maand start een nieuwe advocaat-stagiair. Graag een extra postvak, met dezelfde filterinstellingen als de rest van het kantoor.\n\nNiels de Graaf",
            ),
            (
                "out",
                "Beste Niels,\n\nHet postvak is aangemaakt en valt onder de E-mail Security Gateway. De inloggegevens staan klaar in het klantportaal.\n\nMet vriendelijke groet,\nDuinhost support",
            ),
        ],
    },
    {
        "customer": "Thomas van Dijk",
        "subject": "VPS start niet meer op",
        "status": "closed",
        "days_ago": 41,
        "messages": [
            ("in", "Na een update start mijn VPS niet meer op. Kan ik ergens bij de console?"),
            (
                "out",
                "Beste Thomas,\n\nIn het klantportaal vind je onder CloudinVPS de knop 'Console'. Je VPS stond vast op een kernelkeuze; we hebben hem met de vorige kernel gestart.\n\nGroet,\nDuinhost support",
            ),
        ],
    },
    {
        "customer": "Koffiebranderij Meijer B.V.",
        "subject": "Vraag over factuur",
        "status": "waiting",
        "days_ago": 12,
        "messages": [
            (
                "in",
                "Hallo,\n\nWe hebben een deel van de laatste factuur betaald; het bedrag voor online marketing klopt volgens ons niet. Kunnen jullie dat nakijken?\n\nFemke Meijer",
            ),
            (
                "out",
                "Beste Femke,\n\nWe kijken het na met onze marketingcollega's en komen deze week bij je terug. Het openstaande deel hoef je tot dan niet te betalen.\n\nMet vriendelijke groet,\nJoris Verhoeven\nDuinhost financiën",
            ),
        ],
    },
    {
        "customer": "Ruben Kok",
        "subject": "Betalingsregeling",
        "status": "open",
        "days_ago": 5,
        "messages": [
            (
                "in",
                "Beste Duinhost,\n\nIk krijg herinneringen voor twee facturen. Ik zit even krap; kan ik het in twee delen betalen?\n\nRuben",
            ),
        ],
    },
]

# The register of recipients: processors and third parties with the data categories they receive.
RECIPIENTS: list[dict] = [
    {
        "key": "polderdata",
        "name": "Polderdata Datacenters B.V.",
        "kind": "processor",
        "category": "datacenter",
        "purpose": "Hosting van servers, opslag en back-ups in Nederland",
        "data": ["D1", "D2", "D3", "D4", "D5", "D6", "D10", "D11"],
        "signed_years": 4,
    },
    {
        "key": "betaalhuis",
        "name": "Betaalhuis Nederland B.V.",
        "kind": "processor",
        "category": "payment_provider",
        "purpose": "Incasseren van SEPA-machtigingen en verwerken van iDEAL-betalingen",
        "data": ["D1", "D5", "D7"],
        "signed_years": 3,
    },
    {
        "key": "van-houten-deurwaarders",
        "name": "Gerechtsdeurwaarderskantoor Van Houten & Partners",
        "kind": "third_party",
        "category": "bailiff",
        "purpose": "Invorderen van onbetaalde facturen na de laatste aanmaning",
        "data": ["D1", "D2", "D5", "D7"],
        "signed_years": 0,
    },
    {
        "key": "postduif",
        "name": "Postduif Mailservices B.V.",
        "kind": "processor",
        "category": "mail_provider",
        "purpose": "Verzenden van facturen, herinneringen en servicemeldingen per e-mail",
        "data": ["D2", "D3", "D11"],
        "signed_years": 3,
        "expired_days": 30,
    },
]


def demo_totp_key(email: str) -> str:
    """The demo staff's authenticator key (hex, 20 bytes): fixed and published — demo only."""
    return hashlib.sha1(f"waarborg-demo-totp:{email}".encode(), usedforsecurity=False).hexdigest()


def demo_totp_secret(email: str) -> str:
    """The same key in base32, as an authenticator app asks for it."""
    return b32encode(bytes.fromhex(demo_totp_key(email))).decode().rstrip("=")


def demo_logins_with_secrets() -> list[dict]:
    """DEMO_LOGINS with the authenticator key of each staff sign-in (empty for customers)."""
    return [
        {**login, "totp_secret": demo_totp_secret(login["email"]) if login["role"] != roles.CUSTOMER else ""}
        for login in DEMO_LOGINS
    ]


def demo_loaded() -> bool:
    """True when the demo accounts exist in the database."""
    emails = [login["email"] for login in DEMO_LOGINS]
    try:
        return Account.objects.filter(email__in=emails).count() == len(emails)
    except DatabaseError:  # not migrated yet
        return False
