"""What else happened in the demo world: support tickets and their messages, documents,
complaints, job applications, consents, agreements to notices by e-mail, sign-ins, and the
register of recipients. Each part reads the customers and accounts the builder made."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from waarborg.accounts.models import LoginEvent
from waarborg.careers.models import JobApplication
from waarborg.consents.models import ConsentRecord
from waarborg.core import clock, roles
from waarborg.core.identifiers import normalise_email, normalise_ip, normalise_phone, normalise_postcode
from waarborg.correspondence.models import Complaint, Message, Ticket
from waarborg.customers.models import Customer, Document, NoticeAgreement
from waarborg.demo import vocab
from waarborg.demo.data import RECIPIENTS, TICKETS
from waarborg.register.models import Recipient


def make_tickets(builder) -> None:
    """The support tickets of TICKETS, oldest first, with their messages in and out."""
    support = builder.staff[roles.SUPPORT]
    finance = builder.staff[roles.FINANCE]
    per_year: dict[int, int] = {}
    for spec in sorted(TICKETS, key=lambda t: -t["days_ago"]):
        customer = builder.customers[spec["customer"]]
        contacts = builder.contacts[spec["customer"]]
        asker = next((c for c in contacts if c.role == "technical"), contacts[0])
        if spec["subject"] == "Vraag over factuur":
            asker = contacts[0]
        opened = builder.at(spec["days_ago"])
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
        builder.count("tickets")
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
            builder.count("messages")
            sent = sent + dt.timedelta(hours=builder.rng.randint(1, 8), minutes=builder.rng.randint(0, 59))


def make_documents(builder) -> None:
    """Documents made for three customers (a design, a specification, a report)."""
    support = builder.staff[roles.SUPPORT]
    for customer_name, title, kind, days_ago in [
        ("Fietsenmakerij De Spaak B.V.", "Ontwerp reparatieplanner, versie 2", "design", 150),
        ("Boekhandel Het Leesteken B.V.", "Functioneel ontwerp webshop", "specification", 220),
        ("Koffiebranderij Meijer B.V.", "SEO-rapportage kwartaal 3", "report", 45),
    ]:
        Document.objects.create(
            customer=builder.customers[customer_name],
            title=title,
            kind=kind,
            created_by=support,
            created_at=builder.at(days_ago),
        )
        builder.count("documents")


def make_complaints(builder) -> None:
    """A handled complaint of a customer, and an open one from someone who is not a customer."""
    customer = builder.customers["Koffiebranderij Meijer B.V."]
    contact = builder.contacts["Koffiebranderij Meijer B.V."][0]
    received = builder.at(75)
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
        received_at=builder.at(4),
    )
    builder.count("complaints", 2)


def make_applications(builder) -> None:
    """Three job applications: one open, one of a minor, one kept with consent after the procedure."""
    haarlem = vocab.TOWN_BY_NAME["Haarlem"]
    leiden = vocab.TOWN_BY_NAME["Leiden"]
    amsterdam = vocab.TOWN_BY_NAME["Amsterdam"]
    rng = builder.rng
    JobApplication.objects.create(
        first_name="Fenna",
        last_name="Brouwer",
        email=normalise_email("fenna.brouwer@mail.example"),
        phone=normalise_phone(vocab.mobile(rng)),
        postcode=normalise_postcode(vocab.postcode(rng, haarlem)),
        date_of_birth=dt.date(builder.today.year - 27, 3, 14),
        age_band=JobApplication.AgeBand.ADULT,
        position="Medewerker klantenservice",
        motivation="Ik werk al vijf jaar in de klantenservice van een webwinkel en wil graag meer technische vragen oplossen.",
        received_at=builder.at(9),
    )
    JobApplication.objects.create(
        first_name="Sem",
        last_name="de Haan",
        email=normalise_email("sem.dehaan@post.example"),
        phone=normalise_phone(vocab.mobile(rng)),
        postcode=normalise_postcode(vocab.postcode(rng, leiden)),
        date_of_birth=builder.today.replace(day=1) - dt.timedelta(days=17 * 365 + 40),
        age_band=JobApplication.AgeBand.FROM_16_TO_17,
        position="Bijbaan helpdesk (zaterdag)",
        motivation="Ik zit in 5 havo en help thuis iedereen met computers. Een bijbaan bij een hostingbedrijf lijkt me leerzaam.",
        received_at=builder.at(35),
        procedure_closed_at=builder.at(14),
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
        received_at=builder.at(80),
        procedure_closed_at=builder.at(52),
        keep_consent_at=builder.at(52),
    )
    builder.count("applications", 3)


def make_consents(builder) -> None:
    """Consents given and withdrawn by portal accounts, contact persons and anonymous devices,
    under the privacy policy version in force (WAARBORG_POLICY_VERSION)."""
    anouk = builder.portal["anouk@bakkerijjansen.example"]
    sanne = builder.portal["sanne.devries@mail.example"]
    contact = {name: contacts[0] for name, contacts in builder.contacts.items()}

    def device() -> str:
        return f"{builder.rng.getrandbits(128):032x}"

    rows = [
        dict(
            account=anouk,
            contact=anouk.contact,
            kind="marketing_email",
            granted=True,
            source="portal",
            given_at=builder.at(210),
        ),
        dict(
            account=sanne,
            contact=sanne.contact,
            kind="marketing_email",
            granted=True,
            source="signup",
            given_at=builder.at(320),
            withdrawn_at=builder.at(40),
        ),
        dict(
            account=sanne,
            contact=sanne.contact,
            device_id=device(),
            kind="cookies_analytics",
            granted=True,
            source="website",
            given_at=builder.at(30),
        ),
        dict(
            contact=contact["Van der Meer Installatietechniek B.V."],
            kind="marketing_email",
            granted=False,
            source="signup",
            given_at=builder.at(500),
        ),
        dict(
            contact=contact["Thomas van Dijk"],
            device_id=device(),
            kind="cookies_analytics",
            granted=True,
            source="website",
            given_at=builder.at(90),
            withdrawn_at=builder.at(10),
        ),
        dict(
            contact=contact["Koffiebranderij Meijer B.V."],
            kind="marketing_email",
            granted=True,
            source="portal",
            given_at=builder.at(150),
        ),
        dict(
            contact=contact["Emma Peters"],
            kind="marketing_email",
            granted=True,
            source="signup",
            given_at=builder.at(400),
            withdrawn_at=builder.at(120),
        ),
        dict(device_id=device(), kind="cookies_analytics", granted=False, source="website", given_at=builder.at(2)),
        dict(device_id=device(), kind="cookies_marketing", granted=False, source="website", given_at=builder.at(2)),
    ]
    for row in rows:
        ConsentRecord.objects.create(policy_version=settings.WAARBORG_POLICY_VERSION, **row)
    builder.count("consents", len(rows))


def make_notice_agreements(builder) -> None:
    """Most consumers agreed, in the terms they signed up under (one in the portal), that
    written notices such as the fourteen-day letter may come by e-mail; a customer marked
    "paper" did not, and gets that letter by post."""
    for name, customer in builder.customers.items():
        spec = builder.specs[name]
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
        builder.count("notice_agreements")


def make_logins(builder) -> None:
    """Sign-ins of staff and portal accounts, failed attempts among them, and each account's last login."""
    desktop, mac, linux, iphone, android = vocab.USER_AGENTS
    office_v4, office_v6 = "198.51.100.10", "2001:db8:10::10"
    events: list[tuple] = []  # (account, days_ago, ip, agent, succeeded)
    for role, account in builder.staff.items():
        agent = linux if role == roles.ADMIN else desktop
        for days_ago in (1, 2, 5, 8):
            events.append((account, days_ago, office_v4 if days_ago % 2 else office_v6, agent, True))
    anouk = builder.portal["anouk@bakkerijjansen.example"]
    sanne = builder.portal["sanne.devries@mail.example"]
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
        when = builder.at(days_ago)
        LoginEvent.objects.create(account=account, at=when, ip_address=normalise_ip(ip), user_agent=agent, succeeded=ok)
        builder.count("login_events")
        if ok and account is not None:
            last_login[account.pk] = max(when, last_login.get(account.pk, when))
    for account in [*builder.staff.values(), *builder.portal.values()]:
        if account.pk in last_login:
            account.last_login = last_login[account.pk]
            account.save(update_fields=["last_login"])


def make_recipients(builder) -> None:
    """The register of recipients of RECIPIENTS, one agreement unsigned and one expired."""
    for spec in RECIPIENTS:
        signed = None
        if spec["signed_years"]:
            signed = builder.today.replace(month=3, day=1) - dt.timedelta(days=365 * spec["signed_years"])
        expires = builder.today - dt.timedelta(days=spec["expired_days"]) if spec.get("expired_days") else None
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
        builder.count("recipients")
