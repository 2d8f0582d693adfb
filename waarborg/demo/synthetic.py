"""One synthetic customer and everything that hangs off it, as rows for the seed's bulk tables.

The values are in the normal form the identifiers module produces (lower-case e-mail, E.164
phone numbers, "1234 AB" postcodes, compressed IP addresses); e-mail addresses, phone numbers,
customer and document numbers are derived from the rows' keys, so seeding twice never collides.
IBANs are encrypted like every other IBAN.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password

from waarborg.core.crypto import encrypt, keyed_hash
from waarborg.demo import vocab
from waarborg.demo.data import CATALOGUE, DEMO_PASSWORD
from waarborg.demo.invoices import vat_of

if TYPE_CHECKING:  # the seed writes these rows with its tables; named here for the type only
    from waarborg.demo.seed import BulkTable

SEED_DOMAIN = "seed.example"

_TRADES = [
    "Klusbedrijf",
    "Fotografie",
    "Vertaalbureau",
    "Schildersbedrijf",
    "Hoveniersbedrijf",
    "Kapsalon",
    "Administratiekantoor",
    "Webdesign",
    "Rijschool",
    "Praktijk",
    "Loodgietersbedrijf",
    "Muziekles",
    "Bijlesbureau",
    "Tekstbureau",
]
_ORG_SUFFIXES = [
    "Installatietechniek B.V.",
    "Bouw B.V.",
    "Advies B.V.",
    "Logistiek B.V.",
    "Holding B.V.",
    "& Zonen B.V.",
    "Accountants",
    "Makelaardij B.V.",
    "Transport B.V.",
    "Techniek B.V.",
]
_TICKET_SUBJECTS = [
    ("E-mail komt niet aan", "Sinds gisteren ontvang ik geen e-mail meer. Kunnen jullie kijken wat er mis is?"),
    ("Website traag", "Onze website laadt erg traag sinds de laatste update. Ligt het aan de server?"),
    ("Vraag over factuur", "Op de laatste factuur staat een bedrag dat ik niet begrijp. Kunt u het toelichten?"),
    ("Wachtwoord vergeten", "Ik kan niet meer inloggen op het klantportaal. Hoe stel ik mijn wachtwoord opnieuw in?"),
    ("Domeinnaam verhuizen", "Ik wil mijn domeinnaam naar jullie verhuizen. Wat heb ik daarvoor nodig?"),
    ("SSL-waarschuwing", "Bezoekers krijgen een melding dat de website niet veilig is."),
]
_ANSWER = (
    "Beste {first},\n\nDank voor uw bericht. We hebben het uitgezocht en het probleem is verholpen. "
    "Laat het ons weten als u nog vragen heeft.\n\nMet vriendelijke groet,\nDuinhost support"
)
_BASE_KINDS = [kind for _, kind, _, _ in CATALOGUE if kind != "domain"]
# Nine in ten consumers signed up under terms that let written notices — the fourteen-day letter
# among them — come by e-mail; the tenth gets that letter by post. Chosen by the customer's key,
# not by the random stream, so the other rows stay what they were.
NOTICE_TERMS = "Algemene voorwaarden Duinhost, art. 4.3"


def agrees_to_email_notices(customer_id: int) -> bool:
    """Whether the customer with this key signed up under terms that allow notices by e-mail."""
    return customer_id % 10 != 0


class SyntheticRows:
    """Makes the rows of one customer at a time into the seed's tables; every random choice comes
    from `rng`."""

    def __init__(
        self, tables: dict[str, BulkTable], products: dict, rng: random.Random, today: dt.date, postgres: bool
    ):
        self.T = tables
        self.rng = rng
        self.today = today
        # Timestamps count back from midnight (UTC) of today: the same date gives the same rows.
        self.base = dt.datetime.combine(today, dt.time(0, 0))
        self.ts = (lambda d: d.replace(tzinfo=dt.UTC)) if postgres else (lambda d: d)
        self.products = products
        self.policy_version = settings.WAARBORG_POLICY_VERSION
        self.password = make_password(DEMO_PASSWORD)
        self.first_slugs = [vocab.slug(n) for n in vocab.FIRST_NAMES]
        self.last_slugs = [vocab.slug(n) for n in vocab.LAST_NAMES]
        self.months = []
        for back in range(5, -1, -1):
            year, month = today.year, today.month - back
            while month < 1:
                year, month = year - 1, month + 12
            self.months.append(dt.date(year, month, 1))
        self.prices = {}
        for kind, product in products.items():
            excl = product.monthly_price
            vat = vat_of(excl)
            self.prices[kind] = (excl, vat, excl + vat)
        self.vat_rate = Decimal(21)
        self.one = Decimal(1)
        self.zero = Decimal("0.00")

    def customer(self) -> None:
        """Append one customer's rows: contacts, portal account and sign-ins, services, mandate,
        invoices and payments, and for some tickets and consents."""
        T, rng, ts, base = self.T, self.rng, self.ts, self.base
        rnd = rng.random
        first_names, last_names = vocab.FIRST_NAMES, vocab.LAST_NAMES
        nf, nl = len(first_names), len(last_names)

        cid = T["customers"].take_id()
        r = rnd()
        kind = "private" if r < 0.6 else ("sole_trader" if r < 0.75 else "organisation")
        fi, li = int(rnd() * nf), int(rnd() * nl)
        first, last = first_names[fi], last_names[li]
        last_cap = last[0].upper() + last[1:]
        if kind == "private":
            name = f"{first} {last}"
        elif kind == "sole_trader":
            name = f"{_TRADES[int(rnd() * len(_TRADES))]} {last_cap}"
        else:
            name = f"{last_cap} {_ORG_SUFFIXES[int(rnd() * len(_ORG_SUFFIXES))]}"
        kvk = vat = ""
        if kind != "private" and rnd() < 0.95:
            kvk = vocab.kvk_number(cid * 7919 + 31)
            if rnd() < 0.85:
                vat = vocab.vat_number(cid * 104729 + 17)
        r = rnd()
        status = "active" if r < 0.92 else ("terminating" if r < 0.96 else "ended")
        created = base - dt.timedelta(days=30 + int(rnd() * 2900), seconds=int(rnd() * 86400))
        ended = base - dt.timedelta(days=1 + int(rnd() * 25), seconds=int(rnd() * 86400)) if status == "ended" else None
        T["customers"].rows.append(
            (
                cid,
                f"K{cid + 200000:06d}",
                kind,
                "b2b" if kvk or vat else "b2c",
                name,
                kvk,
                vat,
                status,
                ts(created),
                ts(ended) if ended else None,
            )
        )

        if kvk == vat == "" and agrees_to_email_notices(cid):  # a consumer (b2c)
            T["notice_agreements"].rows.append(
                (
                    T["notice_agreements"].take_id(),
                    cid,
                    "contract",
                    created.date(),
                    NOTICE_TERMS,
                    ts(created),
                    None,
                    None,
                )
            )

        # Contact persons: the person themselves for a private customer, else 1 to 3.
        town = vocab.TOWNS[int(rnd() * len(vocab.TOWNS))]
        low, high = town[1]
        roles = ["primary"]
        if kind != "private":
            if rnd() < 0.5:
                roles.append("billing")
            if rnd() < 0.3:
                roles.append("technical")
        contacts = []
        for index, role in enumerate(roles):
            kid = T["contacts"].take_id()
            if index:
                fi, li = int(rnd() * nf), int(rnd() * nl)
            c_first, c_last = first_names[fi], last_names[li]
            email = f"{self.first_slugs[fi]}.{self.last_slugs[li]}.{kid}@{SEED_DOMAIN}"
            phone = f"+316{1 + kid // 10_000_000}{kid % 10_000_000:07d}" if rnd() < 0.9 else ""
            street = f"{vocab.STREETS[int(rnd() * len(vocab.STREETS))]} {1 + int(rnd() * 180)}"
            postcode = (
                f"{low + int(rnd() * (high - low + 1))} {vocab.POSTCODE_PAIRS[int(rnd() * len(vocab.POSTCODE_PAIRS))]}"
            )
            T["contacts"].rows.append(
                (kid, cid, role, c_first, c_last, street, postcode, town[0], "NL", email, phone, ts(created))
            )
            contacts.append((kid, c_first, c_last, street, postcode, email))
        primary = contacts[0]
        billing = contacts[1] if len(contacts) > 1 and roles[1] == "billing" else primary

        # The primary contact's portal account, and its sign-ins.
        aid = T["accounts"].take_id()
        logins = []
        for k in range(1 + int(rnd() * 5)):  # 1 to 5, about 3
            at = base - dt.timedelta(days=int(rnd() * 180), seconds=int(rnd() * 86400))
            logins.append((at, k, rnd() < 0.92))
        last_login = max((at for at, _, ok in logins if ok), default=None)
        T["accounts"].rows.append(
            (
                aid,
                self.password,
                ts(last_login) if last_login else None,
                False,
                primary[5],
                "",
                "customer",
                primary[0],
                status != "ended",
                ts(created),
            )
        )
        v4 = f"100.{64 + ((aid >> 16) & 63)}.{(aid >> 8) & 255}.{aid & 255}"
        for at, k, ok in logins:
            if k % 2:
                ip = ipaddress.IPv6Address(f"2001:db8:{aid >> 16:x}:{aid & 0xFFFF:x}::{k:x}").compressed
            else:
                ip = v4
            T["login_events"].rows.append(
                (T["login_events"].take_id(), aid, ts(at), ip, vocab.USER_AGENTS[int(rnd() * 5)], ok, "password")
            )

        # Two services: a domain name and one more.
        domain = f"{self.last_slugs[li]}{cid}.example"
        start = created.date()
        sub_status = "cancelled" if status == "ended" else "active"
        end = ended.date() if ended else None
        other = _BASE_KINDS[int(rnd() * len(_BASE_KINDS))]
        dom_sid = T["subscriptions"].take_id()
        T["subscriptions"].rows.append((dom_sid, cid, self.products["domain"].pk, domain, start, end, sub_status, ""))
        sid = T["subscriptions"].take_id()
        label = (
            domain
            if other in ("webhosting", "website", "email_hosting", "email_security", "marketing")
            else f"{other.replace('_', '-')}.{domain}"
        )
        T["subscriptions"].rows.append((sid, cid, self.products[other].pk, label, start, end, sub_status, ""))

        # A SEPA mandate for about half the customers.
        pmid = None
        if rnd() < 0.5:
            pmid = T["payment_methods"].take_id()
            iban = vocab.iban_nl(
                vocab.BANK_CODES[cid % len(vocab.BANK_CODES)], vocab.account_number(cid * 7 + 123456789)
            )
            T["payment_methods"].rows.append(
                (
                    pmid,
                    cid,
                    "sepa_mandate",
                    name,
                    encrypt(iban),
                    iban[-4:],
                    keyed_hash(iban, purpose="iban"),
                    f"DH-K{cid + 200000:06d}-01",
                    ts(created),
                    ts(created),
                )
            )

        # Monthly invoices for the last six months, one line each.
        excl, vat, incl = self.prices[other]
        address = f"{billing[3]}, {billing[4]} {town[0]}"
        if kind != "private":
            address = f"t.a.v. {billing[1]} {billing[2]}, {address}"
        description = f"{self.products[other].name} — {label}"
        for month in self.months:
            if month < start.replace(day=1) or (end and month > end):
                continue
            iid = T["invoices"].take_id()
            due = month + dt.timedelta(days=14)
            r = rnd()
            if due < self.today:
                paid = (
                    incl
                    if (r < 0.85 or status == "ended")
                    else (self.zero if r > 0.9 else (incl / 2).quantize(self.zero))
                )
            else:
                paid = incl if r < 0.5 else self.zero
            T["invoices"].rows.append(
                (
                    iid,
                    cid,
                    billing[0],
                    f"F{month.year}-{iid:08d}",
                    month,
                    due,
                    "EUR",
                    excl,
                    vat,
                    incl,
                    paid,
                    "paid" if paid == incl else "open",
                    name,
                    address,
                )
            )
            T["invoice_lines"].rows.append(
                (
                    T["invoice_lines"].take_id(),
                    iid,
                    sid,
                    f"{description} — {vocab.MONTHS_NL[month.month - 1]} {month.year}",
                    self.one,
                    excl,
                    self.vat_rate,
                )
            )
            if paid:
                received = dt.datetime.combine(
                    min(due, self.today - dt.timedelta(days=1)), dt.time(6 + int(rnd() * 14), int(rnd() * 60))
                )
                T["payments"].rows.append(
                    (
                        T["payments"].take_id(),
                        iid,
                        cid,
                        pmid,
                        paid,
                        "EUR",
                        ts(received),
                        f"Betaling F{month.year}-{iid:08d}",
                    )
                )

        # Support tickets for some.
        if rnd() < 0.08:
            for _ in range(1 + int(rnd() * 2)):
                tid = T["tickets"].take_id()
                subject, body = _TICKET_SUBJECTS[int(rnd() * len(_TICKET_SUBJECTS))]
                opened = base - dt.timedelta(days=int(rnd() * 400), seconds=int(rnd() * 86400))
                closed_ticket = rnd() < 0.7
                T["tickets"].rows.append(
                    (
                        tid,
                        cid,
                        primary[0],
                        f"T{tid:09d}",
                        subject,
                        "closed" if closed_ticket else "open",
                        ts(opened),
                        ts(opened + dt.timedelta(days=2)) if closed_ticket else None,
                    )
                )
                T["messages"].rows.append(
                    (
                        T["messages"].take_id(),
                        tid,
                        "in",
                        None,
                        primary[5],
                        f"{body}\n\nMet vriendelijke groet,\n{primary[1]} {primary[2]}",
                        ts(opened),
                    )
                )
                T["messages"].rows.append(
                    (
                        T["messages"].take_id(),
                        tid,
                        "out",
                        None,
                        "",
                        _ANSWER.format(first=primary[1]),
                        ts(opened + dt.timedelta(hours=3)),
                    )
                )

        # Consents: newsletter for some, analytics cookies for fewer; some withdrawn.
        if rnd() < 0.3:
            given = base - dt.timedelta(days=int(rnd() * 700), seconds=int(rnd() * 86400))
            granted = rnd() < 0.8
            withdrawn = given + dt.timedelta(days=1 + int(rnd() * 100)) if granted and rnd() < 0.2 else None
            if withdrawn and withdrawn >= base:
                withdrawn = None
            T["consents"].rows.append(
                (
                    T["consents"].take_id(),
                    aid,
                    primary[0],
                    "",
                    "marketing_email",
                    granted,
                    self.policy_version,
                    "portal",
                    ts(given),
                    ts(withdrawn) if withdrawn else None,
                )
            )
        if rnd() < 0.15:
            given = base - dt.timedelta(days=int(rnd() * 300), seconds=int(rnd() * 86400))
            T["consents"].rows.append(
                (
                    T["consents"].take_id(),
                    aid,
                    primary[0],
                    f"{rng.getrandbits(128):032x}",
                    "cookies_analytics",
                    rnd() < 0.7,
                    self.policy_version,
                    "website",
                    ts(given),
                    None,
                )
            )
