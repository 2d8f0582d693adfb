"""Demo data: the customers of Duinhost B.V., a fictional Dutch hosting provider.

`load_demo()` fills an empty database with a small, realistic and reproducible world: about 25
customers (companies, sole traders and private persons) with contact persons, services of
every kind in the catalogue, a year of monthly invoices (most paid, some overdue, some partly
paid), SEPA mandates with encrypted IBANs, support tickets, consents, sign-ins, a complaint or
two, job applications and the register of recipients. Staff accounts for every role and two
customer portal accounts all use `DEMO_PASSWORD`.

All e-mail addresses and domain names use the reserved `.example` top-level domain; IP addresses
come from the documentation ranges. The same seed and the same date give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import DatabaseError, transaction

from waarborg.core import clock, roles
from waarborg.core.errors import ConfigError, ValidationError
from waarborg.core.identifiers import (
    normalise_email,
    normalise_iban,
    normalise_ip,
    normalise_phone,
    normalise_postcode,
)
from waarborg.demo import vocab

DEMO_PASSWORD = "waarborg-demo"
DEMO_SEED = 20250101
STAFF_DOMAIN = "duinhost.example"
POLICY_VERSION = "2025.1"

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
CENT = Decimal("0.01")

# The customers. kind: org / sole / private. pay: a PaymentMethod kind. Flags drive the
# situations the demo should show: overdue invoices, partial payments, a blocked service, a
# customer leaving and one who has left.
# fmt: off
_CUSTOMERS: list[dict] = [
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

_TICKETS: list[dict] = [
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

_RECIPIENTS: list[dict] = [
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


class DemoAlreadyLoaded(ValidationError):
    pass


def demo_totp_key(email: str) -> str:
    """The demo staff's authenticator key (hex, 20 bytes): fixed and published — demo only."""
    import hashlib

    return hashlib.sha1(f"waarborg-demo-totp:{email}".encode(), usedforsecurity=False).hexdigest()


def demo_totp_secret(email: str) -> str:
    """The same key in base32, as an authenticator app asks for it."""
    from base64 import b32encode

    return b32encode(bytes.fromhex(demo_totp_key(email))).decode().rstrip("=")


def demo_logins_with_secrets() -> list[dict]:
    return [
        {**login, "totp_secret": demo_totp_secret(login["email"]) if login["role"] != roles.CUSTOMER else ""}
        for login in DEMO_LOGINS
    ]


def demo_loaded() -> bool:
    """True when the demo accounts exist in the database."""
    from waarborg.accounts.models import Account

    emails = [login["email"] for login in DEMO_LOGINS]
    try:
        return Account.objects.filter(email__in=emails).count() == len(emails)
    except DatabaseError:  # not migrated yet
        return False


def refuse_production(what: str) -> None:
    if settings.PRODUCTION:
        raise ConfigError(f"{what} is for development and demonstration only, not with WAARBORG_ENV=production")


def load_demo(*, seed: int = DEMO_SEED) -> dict[str, int]:
    """Create the demo world in one transaction; returns the number of rows per kind."""
    from waarborg.audit.services import audit_record

    refuse_production("the demo data")
    if demo_loaded():
        raise DemoAlreadyLoaded("the demo data is already loaded")
    with transaction.atomic():
        counts = _DemoBuilder(random.Random(seed), clock.today()).run()
        audit_record(actor="system", action="demo.load", object_type="demo", data=counts)
    return counts


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount: Decimal) -> Decimal:
    return money(amount * VAT_RATE / 100)


def ensure_catalogue() -> dict[str, object]:
    """The catalogue's products by kind, created when missing."""
    from waarborg.catalogue.models import Product

    products = {}
    for code, kind, name, price in CATALOGUE:
        product, _ = Product.objects.get_or_create(
            code=code, defaults={"kind": kind, "name": name, "monthly_price": Decimal(price)}
        )
        products[kind] = product
    return products


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


class _DemoBuilder:
    """Builds the demo world with the ORM; every random choice comes from `rng`."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.counts: dict[str, int] = {}
        self.customers: dict[str, object] = {}
        self.contacts: dict[str, list] = {}  # customer name -> contacts, primary first
        self.specs: dict[str, dict] = {}
        self.subscriptions: dict[str, list] = {}
        self.methods: dict[str, object] = {}
        self.staff: dict[str, object] = {}
        self.portal: dict[str, object] = {}

    # --- helpers ---------------------------------------------------------------------------

    def at(self, days_ago: int, hour: int | None = None, minute: int | None = None) -> dt.datetime:
        """A moment `days_ago` days before today, at an office-like hour, in Amsterdam."""
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(8, 21) if hour is None else hour
        minute = self.rng.randint(0, 59) if minute is None else minute
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.AMSTERDAM)

    def on(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.AMSTERDAM)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def address(self, town_name: str) -> dict:
        town = vocab.TOWN_BY_NAME[town_name]
        number = self.rng.randint(1, 180)
        suffix = self.rng.choice(["", "", "", "", "a", "-2", " bis"])
        return {
            "street": f"{self.rng.choice(vocab.STREETS)} {number}{suffix}",
            "postcode": normalise_postcode(vocab.postcode(self.rng, town)),
            "town": town_name,
        }

    # --- the world ---------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.products = ensure_catalogue()
        self.count("products", len(self.products))
        self.make_staff()
        for number, spec in enumerate(_CUSTOMERS, start=100001):
            self.make_customer(number, spec)
        self.make_portal_accounts()
        self.make_invoices()
        self.make_tickets()
        self.make_documents()
        self.make_consents()
        self.make_notice_agreements()
        self.make_logins()
        self.make_complaints()
        self.make_applications()
        self.make_recipients()
        return dict(sorted(self.counts.items()))

    def make_staff(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from waarborg.accounts.models import Account

        for login in DEMO_LOGINS:
            if login["role"] == roles.CUSTOMER:
                continue
            extra = {"role": login["role"], "display_name": login["name"]}
            if login["role"] == roles.ADMIN:
                account = Account.objects.create_superuser(login["email"], DEMO_PASSWORD, **extra)
            else:
                account = Account.objects.create_user(login["email"], DEMO_PASSWORD, **extra)
            # A confirmed authenticator with a published key, so that the demo's staff can sign
            # in at once (the start page and `waarborg demo` print the key). Demo only.
            TOTPDevice.objects.create(user=account, name="Demo", key=demo_totp_key(login["email"]), confirmed=True)
            self.staff[login["role"]] = account
            self.count("accounts")

    def make_customer(self, number: int, spec: dict) -> None:
        from waarborg.billing.models import PaymentMethod
        from waarborg.catalogue.models import Subscription
        from waarborg.customers.models import Contact, Customer

        rng = self.rng
        kind = {"org": Customer.Kind.ORGANISATION, "sole": Customer.Kind.SOLE_TRADER, "private": Customer.Kind.PRIVATE}[
            spec["kind"]
        ]
        since = self.today - dt.timedelta(days=spec.get("since_days") or rng.randint(420, 2900))
        kvk = vat = ""
        if spec["kind"] != "private" and spec.get("kvk", True):
            kvk = vocab.kvk_number(rng.randint(0, 89_999_999))
            if spec.get("vat", True):
                vat = vocab.vat_number(rng.randint(10_000_000, 99_999_999))
        status = spec.get("status", Customer.Status.ACTIVE)
        ended_at = self.at(rng.randint(60, 90), 17, 0) if status == Customer.Status.ENDED else None
        customer = Customer.objects.create(
            number=f"K{number:06d}",
            kind=kind,
            market=Customer.Market.B2B if (kvk or vat) else Customer.Market.B2C,
            name=spec["name"],
            kvk_number=kvk,
            vat_number=vat,
            status=status,
            created_at=self.on(since, rng.randint(9, 17), rng.randint(0, 59)),
            ended_at=ended_at,
        )
        self.count("customers")
        self.customers[spec["name"]] = customer
        self.specs[spec["name"]] = spec

        town = vocab.TOWN_BY_NAME[spec["town"]]
        if spec["kind"] == "private":
            first, last = spec["name"].split(" ", 1)
            people = [(first, last, "primary", None)]
        else:
            people = spec["contacts"]
        office = self.address(spec["town"])
        contacts = []
        for first, last, role, mailbox in people:
            # Private persons live at their own address; a company's contacts at the office.
            where = self.address(spec["town"]) if spec["kind"] == "private" else office
            email = spec["email"] if mailbox is None else f"{mailbox}@{spec['domain']}"
            phone = (
                vocab.mobile(rng) if (spec["kind"] == "private" or rng.random() < 0.4) else vocab.landline(rng, town)
            )
            contact = Contact.objects.create(
                customer=customer,
                role=role,
                first_name=first,
                last_name=last,
                country="NL",
                email=normalise_email(email),
                phone=normalise_phone(phone),
                created_at=customer.created_at + dt.timedelta(days=len(contacts) * rng.randint(0, 200)),
                **where,
            )
            contacts.append(contact)
            self.count("contacts")
        self.contacts[spec["name"]] = contacts

        subscriptions = []
        end_date = ended_at.astimezone(clock.AMSTERDAM).date() if ended_at else None
        if status == Customer.Status.TERMINATING:
            end_date = _month_end(self.today + dt.timedelta(days=31))
        for index, product_kind in enumerate(spec["products"]):
            start = (
                since
                if index == 0
                else min(since + dt.timedelta(days=rng.randint(0, 400)), self.today - dt.timedelta(days=20))
            )
            sub_status = Subscription.Status.ACTIVE
            block_reason = ""
            if status == Customer.Status.ENDED:
                sub_status = Subscription.Status.CANCELLED
            elif spec.get("blocked") and product_kind == "webhosting":
                sub_status = Subscription.Status.BLOCKED
                block_reason = Subscription.BlockReason.NON_PAYMENT
            subscriptions.append(
                Subscription.objects.create(
                    customer=customer,
                    product=self.products[product_kind],
                    label=self.label(product_kind, spec["domain"]),
                    start_date=start,
                    end_date=end_date,
                    status=sub_status,
                    block_reason=block_reason,
                )
            )
            self.count("subscriptions")
        self.subscriptions[spec["name"]] = subscriptions

        holder = spec["name"]
        method = PaymentMethod(customer=customer, kind=spec["pay"], holder_name=holder, created_at=customer.created_at)
        if spec["pay"] == "sepa_mandate":
            iban = vocab.iban_nl(rng.choice(vocab.BANK_CODES), vocab.account_number(rng.randint(10**8, 10**9 - 1)))
            set_iban(method, iban)
            method.mandate_reference = f"DH-{customer.number}-01"
            method.mandate_signed_at = customer.created_at
        method.save()
        self.methods[spec["name"]] = method
        self.count("payment_methods")

    def label(self, kind: str, domain: str) -> str:
        return {
            "domain": domain,
            "webhosting": domain,
            "website": domain,
            "email_hosting": domain,
            "email_security": domain,
            "ssl": f"www.{domain}",
            "vps": f"server1.{domain}",
            "backup": f"backup.{domain}",
            "marketing": domain,
            "development": f"webshop.{domain}",
            "applications": f"wordpress.{domain}",
        }[kind]

    def make_portal_accounts(self) -> None:
        from waarborg.accounts.models import Account

        for login in DEMO_LOGINS:
            if login["role"] != roles.CUSTOMER:
                continue
            contact = next(c for contacts in self.contacts.values() for c in contacts if c.email == login["email"])
            self.portal[login["email"]] = Account.objects.create_user(
                login["email"], DEMO_PASSWORD, role=roles.CUSTOMER, contact=contact
            )
            self.count("accounts")

    # --- invoices and payments --------------------------------------------------------------

    def make_invoices(self) -> None:
        from waarborg.billing.models import Invoice, InvoiceLine, Payment

        plans: dict[str, list[dict]] = {name: [] for name in self.customers}
        ordered: list[dict] = []
        for month in _month_starts(self.today, 12):
            month_end = _month_end(month)
            for name, customer in self.customers.items():
                created = customer.created_at.astimezone(clock.AMSTERDAM).date()
                if created > month_end:
                    continue
                lines = []
                for sub in self.subscriptions[name]:
                    if sub.start_date > month_end or (sub.end_date and sub.end_date < month):
                        continue
                    quantity = Decimal(5 if sub.product.kind == "email_security" else 1)
                    period = f"{vocab.MONTHS_NL[month.month - 1]} {month.year}"
                    lines.append(
                        {
                            "subscription": sub,
                            "description": f"{sub.product.name} — {sub.label} — {period}",
                            "quantity": quantity,
                            "unit_price": sub.product.monthly_price,
                        }
                    )
                if not lines:
                    continue
                plan = {"customer": name, "issue": month, "due": month + dt.timedelta(days=14), "lines": lines}
                plans[name].append(plan)
                ordered.append(plan)

        for name, customer_plans in plans.items():
            self.decide_payments(name, customer_plans)

        per_year: dict[int, int] = {}
        for plan in ordered:
            name = plan["customer"]
            customer = self.customers[name]
            contacts = self.contacts[name]
            billing = next((c for c in contacts if c.role == "billing"), contacts[0])
            excl = money(sum(line["quantity"] * line["unit_price"] for line in plan["lines"]))
            vat = vat_of(excl)
            incl = excl + vat
            year = plan["issue"].year
            per_year[year] = per_year.get(year, 0) + 1
            paid = money(incl * plan["paid_share"])
            attention = "" if customer.kind == "private" else f"t.a.v. {billing.full_name}, "
            invoice = Invoice.objects.create(
                customer=customer,
                billing_contact=billing,
                number=f"F{year}-{per_year[year]:05d}",
                issue_date=plan["issue"],
                due_date=plan["due"],
                total_excl=excl,
                vat_amount=vat,
                total_incl=incl,
                amount_paid=paid,
                status=Invoice.Status.PAID if paid == incl else Invoice.Status.OPEN,
                name_printed=customer.name,
                address_printed=f"{attention}{billing.street}, {billing.postcode} {billing.town}",
            )
            self.count("invoices")
            for line in plan["lines"]:
                InvoiceLine.objects.create(invoice=invoice, vat_rate=VAT_RATE, **line)
                self.count("invoice_lines")
            if plan["paid_on"] is not None and paid > 0:
                method = self.methods[name]
                sepa = method.kind == "sepa_mandate"
                if sepa:
                    reference = f"Incasso {method.mandate_reference} {invoice.number}"
                elif method.kind == "ideal":
                    reference = f"iDEAL {invoice.number}"
                else:
                    reference = f"Overboeking {invoice.number}"
                Payment.objects.create(
                    invoice=invoice,
                    customer=customer,
                    payment_method=method,
                    amount=paid,
                    received_at=self.on(
                        plan["paid_on"], 6 if sepa else self.rng.randint(8, 22), self.rng.randint(0, 59)
                    ),
                    reference=reference,
                )
                self.count("payments")
                if paid < incl:
                    self.count("invoices_partly_paid")
            elif plan["due"] < self.today:
                self.count("invoices_overdue")

    def decide_payments(self, name: str, plans: list[dict]) -> None:
        """Which invoices are paid, when, and in part: most paid, some overdue, some in part."""
        spec = self.specs[name]
        pay = spec["pay"]
        past_due = [p for p in plans if p["due"] < self.today]
        overdue = (
            set(id(p) for p in past_due[len(past_due) - spec.get("overdue", 0) :]) if spec.get("overdue") else set()
        )
        partial_plan = None
        if spec.get("partial"):
            candidates = [p for p in past_due if id(p) not in overdue]
            partial_plan = candidates[-1] if candidates else None
        behind = False  # once an invoice is left unpaid, the later ones are too
        for plan in plans:
            plan["paid_share"] = Decimal(0)
            plan["paid_on"] = None
            behind = behind or id(plan) in overdue
            if behind:
                continue
            if pay == "sepa_mandate":
                paid_on = plan["due"]
            elif pay == "ideal":
                paid_on = plan["issue"] + dt.timedelta(days=self.rng.randint(0, 3))
            else:
                paid_on = plan["issue"] + dt.timedelta(days=self.rng.randint(3, 13))
            if paid_on >= self.today:
                continue  # not yet due, or not yet paid
            plan["paid_on"] = paid_on
            plan["paid_share"] = Decimal("0.5") if plan is partial_plan else Decimal(1)

    # --- correspondence ---------------------------------------------------------------------

    def make_tickets(self) -> None:
        from waarborg.correspondence.models import Message, Ticket

        support = self.staff[roles.SUPPORT]
        finance = self.staff[roles.FINANCE]
        per_year: dict[int, int] = {}
        for spec in sorted(_TICKETS, key=lambda t: -t["days_ago"]):
            customer = self.customers[spec["customer"]]
            contacts = self.contacts[spec["customer"]]
            asker = next((c for c in contacts if c.role == "technical"), contacts[0])
            if spec["subject"] == "Vraag over factuur":
                asker = contacts[0]
            opened = self.at(spec["days_ago"])
            year = opened.year
            per_year[year] = per_year.get(year, 0) + 1
            closed = opened + dt.timedelta(days=2, hours=3) if spec["status"] == "closed" else None
            ticket = Ticket.objects.create(
                customer=customer,
                contact=asker,
                number=f"T{year}-{per_year[year]:04d}",
                subject=spec["subject"],
                status=spec["status"],
                opened_at=opened,
                closed_at=closed,
            )
            self.count("tickets")
            sent = opened
            for direction, body in spec["messages"]:
                outgoing = direction == "out"
                Message.objects.create(
                    ticket=ticket,
                    direction=direction,
                    author=(finance if "financiën" in body else support) if outgoing else None,
                    # Outgoing mail comes from the team's address, which is not a subject's.
                    from_address="" if outgoing else asker.email,
                    body=body,
                    sent_at=sent,
                )
                self.count("messages")
                sent = sent + dt.timedelta(hours=self.rng.randint(1, 8), minutes=self.rng.randint(0, 59))

    def make_documents(self) -> None:
        from waarborg.customers.models import Document

        support = self.staff[roles.SUPPORT]
        for customer_name, title, kind, days_ago in [
            ("Fietsenmakerij De Spaak B.V.", "Ontwerp reparatieplanner, versie 2", "design", 150),
            ("Boekhandel Het Leesteken B.V.", "Functioneel ontwerp webshop", "specification", 220),
            ("Koffiebranderij Meijer B.V.", "SEO-rapportage kwartaal 3", "report", 45),
        ]:
            Document.objects.create(
                customer=self.customers[customer_name],
                title=title,
                kind=kind,
                created_by=support,
                created_at=self.at(days_ago),
            )
            self.count("documents")

    def make_complaints(self) -> None:
        from waarborg.correspondence.models import Complaint

        customer = self.customers["Koffiebranderij Meijer B.V."]
        contact = self.contacts["Koffiebranderij Meijer B.V."][0]
        received = self.at(75)
        Complaint.objects.create(
            customer=customer,
            contact=contact,
            name=contact.full_name,
            email=contact.email,
            description="Onze webshop was op een zaterdag ruim twee uur onbereikbaar, midden in onze actieweek. Wij hebben daardoor bestellingen gemist.",
            resolution="Oorzaak: storing in een opslagsysteem in het datacenter. Excuses aangeboden en één maand webhosting gecrediteerd.",
            status=Complaint.Status.HANDLED,
            received_at=received,
            closed_at=received + dt.timedelta(days=6),
        )
        Complaint.objects.create(
            name="Marloes Kramer",
            email=normalise_email("m.kramer@mail.example"),
            description="Op een website die bij u wordt gehost staat een foto van mij zonder mijn toestemming. Ik wil dat die verwijderd wordt.",
            status=Complaint.Status.OPEN,
            received_at=self.at(4),
        )
        self.count("complaints", 2)

    def make_applications(self) -> None:
        from waarborg.careers.models import JobApplication

        haarlem = vocab.TOWN_BY_NAME["Haarlem"]
        leiden = vocab.TOWN_BY_NAME["Leiden"]
        amsterdam = vocab.TOWN_BY_NAME["Amsterdam"]
        rng = self.rng
        JobApplication.objects.create(
            first_name="Fenna",
            last_name="Brouwer",
            email=normalise_email("fenna.brouwer@mail.example"),
            phone=normalise_phone(vocab.mobile(rng)),
            postcode=normalise_postcode(vocab.postcode(rng, haarlem)),
            date_of_birth=dt.date(self.today.year - 27, 3, 14),
            age_band=JobApplication.AgeBand.ADULT,
            position="Medewerker klantenservice",
            motivation="Ik werk al vijf jaar in de klantenservice van een webwinkel en wil graag meer technische vragen oplossen.",
            received_at=self.at(9),
        )
        JobApplication.objects.create(
            first_name="Sem",
            last_name="de Haan",
            email=normalise_email("sem.dehaan@post.example"),
            phone=normalise_phone(vocab.mobile(rng)),
            postcode=normalise_postcode(vocab.postcode(rng, leiden)),
            date_of_birth=self.today.replace(day=1) - dt.timedelta(days=17 * 365 + 40),
            age_band=JobApplication.AgeBand.FROM_16_TO_17,
            position="Bijbaan helpdesk (zaterdag)",
            motivation="Ik zit in 5 havo en help thuis iedereen met computers. Een bijbaan bij een hostingbedrijf lijkt me leerzaam.",
            received_at=self.at(35),
            procedure_closed_at=self.at(14),
        )
        JobApplication.objects.create(
            first_name="Youssef",
            last_name="Bouzid",
            email=normalise_email("youssef.bouzid@mail.example"),
            phone=normalise_phone(vocab.mobile(rng)),
            postcode=normalise_postcode(vocab.postcode(rng, amsterdam)),
            age_band=JobApplication.AgeBand.ADULT,
            position="Linux-systeembeheerder",
            motivation="Ervaring met Debian, Ansible en PostgreSQL; ik zoek een team dat privacy serieus neemt.",
            received_at=self.at(80),
            procedure_closed_at=self.at(52),
            keep_consent_at=self.at(52),
        )
        self.count("applications", 3)

    # --- consents and sign-ins ----------------------------------------------------------------

    def make_consents(self) -> None:
        from waarborg.consents.models import ConsentRecord

        anouk = self.portal["anouk@bakkerijjansen.example"]
        sanne = self.portal["sanne.devries@mail.example"]
        contact = {name: contacts[0] for name, contacts in self.contacts.items()}

        def device() -> str:
            return f"{self.rng.getrandbits(128):032x}"

        rows = [
            dict(
                account=anouk,
                contact=anouk.contact,
                kind="marketing_email",
                granted=True,
                source="portal",
                given_at=self.at(210),
            ),
            dict(
                account=sanne,
                contact=sanne.contact,
                kind="marketing_email",
                granted=True,
                source="signup",
                given_at=self.at(320),
                withdrawn_at=self.at(40),
            ),
            dict(
                account=sanne,
                contact=sanne.contact,
                device_id=device(),
                kind="cookies_analytics",
                granted=True,
                source="website",
                given_at=self.at(30),
            ),
            dict(
                contact=contact["Van der Meer Installatietechniek B.V."],
                kind="marketing_email",
                granted=False,
                source="signup",
                given_at=self.at(500),
            ),
            dict(
                contact=contact["Thomas van Dijk"],
                device_id=device(),
                kind="cookies_analytics",
                granted=True,
                source="website",
                given_at=self.at(90),
                withdrawn_at=self.at(10),
            ),
            dict(
                contact=contact["Koffiebranderij Meijer B.V."],
                kind="marketing_email",
                granted=True,
                source="portal",
                given_at=self.at(150),
            ),
            dict(
                contact=contact["Emma Peters"],
                kind="marketing_email",
                granted=True,
                source="signup",
                given_at=self.at(400),
                withdrawn_at=self.at(120),
            ),
            dict(device_id=device(), kind="cookies_analytics", granted=False, source="website", given_at=self.at(2)),
            dict(device_id=device(), kind="cookies_marketing", granted=False, source="website", given_at=self.at(2)),
        ]
        for row in rows:
            ConsentRecord.objects.create(policy_version=POLICY_VERSION, **row)
        self.count("consents", len(rows))

    def make_notice_agreements(self) -> None:
        """Most consumers agreed, in the terms they signed up under (one in the portal), that
        written notices such as the fourteen-day letter may come by e-mail; a customer marked
        "paper" did not, and gets that letter by post."""
        from waarborg.customers.models import Customer, NoticeAgreement

        for name, customer in self.customers.items():
            spec = self.specs[name]
            if customer.market != Customer.Market.B2C or spec.get("paper"):
                continue
            portal = spec.get("kind") == "private" and name.startswith("Sanne")
            NoticeAgreement.objects.create(
                customer=customer,
                source=NoticeAgreement.Source.CONSENT if portal else NoticeAgreement.Source.CONTRACT,
                agreed_on=customer.created_at.astimezone(clock.AMSTERDAM).date(),
                reference="klantportaal, bij het aanmelden" if portal else "Algemene voorwaarden Duinhost, art. 4.3",
                recorded_at=customer.created_at,
            )
            self.count("notice_agreements")

    def make_logins(self) -> None:
        from waarborg.accounts.models import LoginEvent

        desktop, mac, linux, iphone, android = vocab.USER_AGENTS
        office_v4, office_v6 = "198.51.100.10", "2001:db8:10::10"
        events: list[tuple] = []  # (account, days_ago, ip, agent, succeeded)
        for role, account in self.staff.items():
            agent = linux if role == roles.ADMIN else desktop
            for days_ago in (1, 2, 5, 8):
                events.append((account, days_ago, office_v4 if days_ago % 2 else office_v6, agent, True))
        anouk = self.portal["anouk@bakkerijjansen.example"]
        sanne = self.portal["sanne.devries@mail.example"]
        events += [
            (anouk, 3, "203.0.113.25", desktop, True),
            (anouk, 17, "203.0.113.25", desktop, True),
            (anouk, 28, "2001:db8:4a::25", android, True),
            # Someone tries Anouk's account from elsewhere, and an address nobody has.
            (anouk, 11, "192.0.2.66", linux, False),
            (anouk, 11, "192.0.2.66", linux, False),
            (anouk, 11, "192.0.2.66", linux, False),
            (None, 11, "192.0.2.66", linux, False),
            (sanne, 1, "2001:db8:5d:1::77", iphone, True),
            (sanne, 6, "203.0.113.77", mac, True),
            (sanne, 6, "203.0.113.77", mac, False),
            # Older than the six months sign-ins are kept: the retention sweep removes these.
            (sanne, 200, "203.0.113.77", mac, True),
            (sanne, 230, "203.0.113.77", mac, True),
        ]
        last_login: dict[int, dt.datetime] = {}
        for account, days_ago, ip, agent, ok in events:
            when = self.at(days_ago)
            LoginEvent.objects.create(
                account=account, at=when, ip_address=normalise_ip(ip), user_agent=agent, succeeded=ok
            )
            self.count("login_events")
            if ok and account is not None:
                last_login[account.pk] = max(when, last_login.get(account.pk, when))
        for account in [*self.staff.values(), *self.portal.values()]:
            if account.pk in last_login:
                account.last_login = last_login[account.pk]
                account.save(update_fields=["last_login"])

    def make_recipients(self) -> None:
        from waarborg.register.models import Recipient

        for spec in _RECIPIENTS:
            signed = None
            if spec["signed_years"]:
                signed = self.today.replace(month=3, day=1) - dt.timedelta(days=365 * spec["signed_years"])
            expires = self.today - dt.timedelta(days=spec["expired_days"]) if spec.get("expired_days") else None
            Recipient.objects.create(
                key=spec["key"],
                name=spec["name"],
                kind=spec["kind"],
                category=spec["category"],
                purpose=spec["purpose"],
                data_categories=spec["data"],
                country="NL",
                agreement_signed_at=signed,
                agreement_expires_at=expires,
            )
            self.count("recipients")


def set_iban(method, iban: str) -> None:
    """Store an IBAN the way the model wants it: encrypted, last four digits, keyed hash."""
    from waarborg.core.crypto import keyed_hash

    normal = normalise_iban(iban)
    if not vocab.iban_valid(normal):
        raise ValidationError("not a valid IBAN", field="iban")
    method.iban = normal
    method.iban_last4 = normal[-4:]
    method.iban_hash = keyed_hash(normal, purpose="iban")


def demo_dunning_history(*, today: dt.date | None = None) -> dict[str, int]:
    """Bring dunning up to today as if the daily run had run every day, then let one private
    customer contest their case, so the finance board has cases at several steps, a contest to
    decide and approvals waiting. Mail goes wherever the mail backend sends it."""
    from waarborg.accounts.models import Account
    from waarborg.billing.models import Invoice
    from waarborg.core.daily import run_daily
    from waarborg.dunning.contests import contest_submit
    from waarborg.dunning.models import Case

    refuse_production("the demo data")
    today = today or clock.today()
    oldest = (
        Invoice.objects.filter(status=Invoice.Status.OPEN, due_date__lt=today)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    days = 0
    if oldest is not None:
        day = oldest + dt.timedelta(days=1)
        while day <= today:
            run_daily(day, only=["dunning", "dunning-notices", "provisioning"])
            day += dt.timedelta(days=1)
            days += 1
    contested = 0
    # A customer with a portal account contests in the portal; else support records the call.
    cases = list(Case.objects.filter(status=Case.Status.OPEN).order_by("pk"))
    accounts = {a.contact.customer_id: a for a in Account.objects.filter(is_active=True, contact__isnull=False)}
    case = next((c for c in cases if c.customer_id in accounts), cases[0] if cases else None)
    if case is not None:
        account = accounts.get(case.customer_id) or Account.objects.filter(role=roles.SUPPORT, is_active=True).first()
        if account is not None:
            with clock.as_of(today):
                contest_submit(
                    actor=account,
                    case=case,
                    statement="Ik heb deze factuur al betaald via de bank; graag nakijken.",
                )
            contested = 1
    return {"days": days, "cases": Case.objects.count(), "contested": contested}
