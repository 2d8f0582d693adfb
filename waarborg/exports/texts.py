"""The fixed texts of the access and portability packages, in Dutch and English.

Every text is an (nl, en) pair, like the map's vocabularies. Texts with `{name}` placeholders are
filled with the controller's details (settings.WAARBORG_CONTROLLER) when a package is built.
"""

from __future__ import annotations

NL, EN = 0, 1
LANGS = ("nl", "en")


def pick(pair, lang: str) -> str:
    return pair[EN] if lang == "en" else pair[NL]


def pair(text: tuple[str, str], **params) -> dict[str, str]:
    """An (nl, en) text as the package's {"nl": ..., "en": ...}, placeholders filled from `params`."""
    return {"nl": text[0].format(**params), "en": text[1].format(**params)}


def date_text(day, lang: str) -> str:
    """A date as a reader writes it: '3 maart 2025' / '3 March 2025'."""
    months = MONTHS[1 if lang == "en" else 0]
    return f"{day.day} {months[day.month - 1]} {day.year}"


# --- The report's frame -------------------------------------------------------------------

TITLE = ("Inzage in uw persoonsgegevens", "Access to your personal data")
INTRO = (
    "Dit is het antwoord van {name} op uw verzoek om inzage (artikel 15 AVG). Het bevat een "
    "volledige kopie van de persoonsgegevens die wij van u verwerken, en per categorie gegevens "
    "waarom wij ze hebben, met wie wij ze delen, hoe lang wij ze bewaren en welke rechten u heeft.",
    "This is {name}'s answer to your request for access (Article 15 GDPR). It contains a complete "
    "copy of the personal data we process about you and, per category of data, why we hold it, "
    "whom we share it with, how long we keep it and which rights you have.",
)
CONFIRMED = (
    "Wij bevestigen dat wij persoonsgegevens van u verwerken.",
    "We confirm that we process personal data about you.",
)
NOT_PROCESSED = (
    "Wij hebben gezocht naar de gegevens waarmee u zich meldde, en verwerken geen persoonsgegevens van u.",
    "We searched for the identifiers you gave us, and we process no personal data about you.",
)
GENERATED = ("Samengesteld op", "Compiled on")
CONTROLLER = ("Verwerkingsverantwoordelijke", "Controller")
OTHER_LANGUAGE = ("Read this report in English", "Lees dit rapport in het Nederlands")
GROUPING = (
    "Indeling: de informatie van artikel 15 lid 1 (a–h) staat per categorie persoonsgegevens "
    "(D1–D11 uit onze privacyverklaring), direct bij de kopie van de gegevens in die categorie. "
    "Binnen een categorie staan de gegevens per registratie (een klantrecord, een factuur, een "
    "bericht …), met de reden waarom die registratie bij u hoort.",
    "Layout: the information of Article 15(1)(a)–(h) is given per category of personal data "
    "(D1–D11 of our privacy statement), right next to the copy of the data in that category. "
    "Within a category the data is listed per record (a customer record, an invoice, a message …), "
    "with the reason that record belongs to you.",
)
CONTENTS = ("Inhoud", "Contents")
SKIP = ("Naar de inhoud", "Skip to the contents")
COPY_HEADING = ("Kopie van uw gegevens", "Copy of your data")
ABOUT_HEADING = ("Over deze gegevens (artikel 15 lid 1 AVG)", "About this data (Article 15(1) GDPR)")
RECORD_WHY = ("Waarom bij u", "Why yours")
RECORD_NO = ("registratie {id}", "record {id}")
RECORD_CONTEXT = ("Context", "Context")
RECORD_PART_OF = ("Hoort bij", "Part of")
FIELD = ("Gegeven", "Data")
VALUE = ("Waarde", "Value")
KIND = ("Soort", "Kind")
ERASED_ON = ("Bewaartermijn", "Kept")
# A term runs to the end of its last day; the data goes the day after.
KEPT_UNTIL = ("tot en met {kept}; gewist op {gone}", "up to and including {kept}; erased on {gone}")
GONE_ON = ("gewist op {gone}", "erased on {gone}")
NOT_YET_KNOWN = ("nog niet bekend: telt vanaf {anchor}", "not yet known: counts from {anchor}")
FILE_INCLUDED = ("bijgevoegd als {path}", "included as {path}")
FILE_MISSING = ("het bestand is niet (meer) aanwezig", "the file is no longer present")
HELD_NOT_SHOWN = ("Bewaard, niet weergegeven", "Held, not reproduced")
HELD_WHY = (
    "Beveiligingsgegevens zoals de hash van uw wachtwoord, het geheim van uw tweede factor, "
    "sessiegegevens en sleutel-hashes bewaren wij wel, maar geven wij niet weer: het zijn geen "
    "leesbare gegevens over u, en in verkeerde handen ondermijnen zij de beveiliging van uw account.",
    "Security data such as the hash of your password, the secret of your second factor, session "
    "data and keyed hashes are held but not reproduced: they are not readable data about you, and "
    "in the wrong hands they would undermine the security of your account.",
)
LEFT_OUT_HEADING = ("Gegevens van anderen weggelaten", "Other people's data left out")
STAFF_LEFT_OUT = (
    "De namen en accounts van onze medewerkers (bijvoorbeeld wie een bericht beantwoordde, een "
    "correctie deed of een document maakte) zijn weggelaten: dat zijn persoonsgegevens van anderen "
    "(artikel 15 lid 4 AVG).",
    "The names and accounts of our staff (for example who answered a message, made a correction "
    "or made a document) are left out: they are other people's personal data (Article 15(4) GDPR).",
)
OTHERS_LEFT_OUT = (
    "Berichten, bijlagen en andere inbreng van andere personen in uw dossiers staan wel als "
    "registratie in dit overzicht, maar zonder hun inhoud en afzender: {count} registratie(s).",
    "Messages, attachments and other input of other people in your records are listed as records, "
    "but without their content and sender: {count} record(s).",
)
WITHHELD = ("weggelaten: gegevens van een ander", "left out: another person's data")
NONE = ("Geen", "None")

# --- Article 15(1)(a)–(h) -----------------------------------------------------------------

LETTERS: dict[str, tuple[str, str]] = {
    "a": ("a. Doeleinden en rechtsgrond", "a. Purposes and legal basis"),
    "b": ("b. Categorieën van gegevens", "b. Categories of data"),
    "c": ("c. Ontvangers", "c. Recipients"),
    "d": ("d. Bewaartermijn", "d. Retention period"),
    "e": ("e. Uw rechten", "e. Your rights"),
    "f": ("f. Klacht bij de toezichthouder", "f. Complaint to the supervisory authority"),
    "g": ("g. Bron van de gegevens", "g. Source of the data"),
    "h": ("h. Geautomatiseerde besluitvorming", "h. Automated decision-making"),
}

NO_RECIPIENTS = (
    "Deze gegevens verstrekken wij aan niemand buiten onze organisatie.",
    "We disclose this data to no one outside our organisation.",
)
NO_REGISTERED_RECIPIENT = (
    "Op dit moment is er geen organisatie van deze soort bij ons geregistreerd; wij verstrekken "
    "deze gegevens pas aan een ontvanger die in ons register staat.",
    "No organisation of this kind is registered with us at the moment; we disclose this data only "
    "to a recipient in our register.",
)
RECIPIENT_KINDS = {
    "processor": ("verwerker, handelt in onze opdracht", "processor acting on our behalf"),
    "third_party": ("derde met een eigen verantwoordelijkheid", "third party with its own responsibility"),
}
AGREEMENT_SINCE = ("overeenkomst sinds {date}", "agreement since {date}")
AGREEMENT_UNTIL = ("tot {date}", "until {date}")
AGREEMENT_INVALID = (
    "geen geldige overeenkomst: ontvangt nu niets",
    "no valid agreement: receives nothing at present",
)

RETENTION_TERM = ("Termijn: {term}, te rekenen vanaf {anchor}.", "Term: {term}, counted from {anchor}.")
TERM_UNITS = {
    "years": (("jaar", "jaar"), ("year", "years")),
    "months": (("maand", "maanden"), ("month", "months")),
    "days": (("dag", "dagen"), ("day", "days")),
}
RETENTION_UNTIL = ("Tot {anchor}.", "Until {anchor}.")
RETENTION_DATES = ("Per registratie", "Per record")

RIGHTS = (
    "U heeft het recht om ons te vragen uw gegevens te verbeteren of aan te vullen (rectificatie, "
    "artikel 16), te wissen (artikel 17) of de verwerking te beperken (artikel 18), en u kunt bezwaar "
    "maken tegen verwerking op grond van ons gerechtvaardigd belang (artikel 21). Waar wij op uw "
    "toestemming steunen, kunt u die altijd intrekken. Ook kunt u de gegevens die u ons gaf in een "
    "gangbaar formaat krijgen of laten doorsturen (overdraagbaarheid, artikel 20). Een verzoek doet u "
    "in het klantportaal, per e-mail aan {email} of op elke andere manier; wij antwoorden binnen "
    "een maand.",
    "You have the right to ask us to correct or complete your data (rectification, Article 16), to "
    "erase it (Article 17) or to restrict its processing (Article 18), and you can object to "
    "processing based on our legitimate interest (Article 21). Where we rely on your consent, you "
    "can withdraw it at any time. You can also receive the data you gave us in a common format, or "
    "have it sent on (portability, Article 20). Make a request in the customer portal, by e-mail to "
    "{email} or in any other way; we answer within one month.",
)
COMPLAINT = (
    "U kunt een klacht indienen bij de Autoriteit Persoonsgegevens, de Nederlandse toezichthouder "
    "(autoriteitpersoonsgegevens.nl, Postbus 93374, 2509 AJ Den Haag). Wij horen het graag eerst "
    "van u via {email}, maar dat hoeft niet.",
    "You can lodge a complaint with the Autoriteit Persoonsgegevens, the Dutch Data Protection "
    "Authority (autoriteitpersoonsgegevens.nl, Postbus 93374, 2509 AJ Den Haag, the Netherlands). "
    "We would like to hear from you first at {email}, but you need not.",
)
SOURCES: dict[str, tuple[str, str]] = {
    "subject": ("Van u zelf verkregen.", "Provided by you."),
    "staff": ("Vastgelegd door onze medewerkers.", "Recorded by our staff."),
    "system": (
        "Door onze systemen vastgelegd (bijvoorbeeld tijdstippen, bedragen en nummers).",
        "Recorded by our systems (for example times, amounts and numbers).",
    ),
    "third_party": (
        "Van derden verkregen (bijvoorbeeld uw bank, bij een betaling).",
        "Obtained from third parties (for example your bank, with a payment).",
    ),
}

# Purposes whose data feeds an automated decision, and the logic explained in words.
DUNNING_PURPOSES = frozenset({"U4"})
DUNNING = (
    "Met uw factuur- en betaalgegevens nemen wij geautomatiseerde besluiten over het innen van "
    "onbetaalde facturen (artikel 22 AVG). De logica: is een factuur na de vervaldatum niet volledig "
    "betaald, dan sturen wij automatisch herinneringen. Blijft de factuur daarna onbetaald, dan "
    "blokkeren wij automatisch de diensten waarvoor de factuur is. Als laatste middel gaat de "
    "vordering naar een gerechtsdeurwaarder, en daarna worden die diensten opgezegd. Elke stap is een "
    "vastgelegd besluit met de feiten (factuur, vervaldatum, openstaand bedrag), de toegepaste regel "
    "en wat u kunt doen. Gevolgen voor u: een geblokkeerde dienst werkt niet tot u betaalt, bij de "
    "deurwaarder kunnen wettelijke incassokosten bijkomen, en een opgezegde dienst eindigt. U kunt "
    "altijd betalen (dat stopt de reeks), een stap betwisten en vragen dat een medewerker beslist; "
    "een betwisting zet de automatische stappen stil tot een medewerker heeft beslist, en u kunt "
    "daarbij uw standpunt geven.",
    "We use your invoice and payment data for automated decisions about collecting unpaid invoices "
    "(Article 22 GDPR). The logic: when an invoice is not paid in full after its due date, we send "
    "reminders automatically. If it then stays unpaid, we automatically block the services the "
    "invoice is for. As a last resort the claim goes to a bailiff, and after that those services "
    "are cancelled. Each step is a recorded decision with its facts (invoice, due date, amount "
    "open), the rule applied and what you can do. Consequences for you: a blocked service does not "
    "work until you pay, a bailiff may add statutory collection costs, and a cancelled service "
    "ends. You can always pay (which stops the steps), contest a step and ask for a person to "
    "decide; a contest pauses the automated steps until a person has decided, and you can give "
    "your view.",
)
NO_AUTOMATED = (
    "Met deze gegevens nemen wij geen geautomatiseerde besluiten, en wij maken er geen profiel mee.",
    "We make no automated decisions with this data, and we do not use it for profiling.",
)

YES_NO = (("ja", "nee"), ("yes", "no"))
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "January February March April May June July August September October November December".split(),
)


# --- The portability package --------------------------------------------------------------

PORTABILITY_README = (
    "Uw gegevens in een gangbaar, machineleesbaar formaat (artikel 20 AVG): de gegevens die u ons "
    "gaf en die wij over uw gebruik vastlegden. data.json bevat per tabel de rijen; schema.json "
    "beschrijft dat formaat (JSON Schema); csv/ bevat dezelfde tabellen als CSV (UTF-8, kopregel). "
    "Afgeleide gegevens en beveiligingsgegevens horen er niet bij; ook gegevens van andere personen "
    "zijn weggelaten.",
    "Your data in a common, machine-readable format (Article 20 GDPR): the data you gave us and "
    "the data we recorded about your use. data.json holds the rows per table; schema.json "
    "describes that format (JSON Schema); csv/ holds the same tables as CSV (UTF-8, header row). "
    "Derived data and security data are not part of it; other people's data is left out too.",
)

FOUND_MATCH = ("{field} komt overeen met uw verzoek", "{field} matches your request")
FOUND_NAME = ("naam en postcode komen overeen met uw verzoek", "name and postcode match your request")
FOUND_SELF = ("dit is uw eigen account", "this is your own account")
FOUND_LINK = ("gekoppeld aan {target}", "linked to {target}")
FOUND_UP = ("gevonden via {source}", "found through {source}")
