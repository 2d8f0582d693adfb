"""Dutch vocabulary for demo and synthetic data: names, streets, towns, banks, identifiers.

Everything here is plain data and pure functions, so the generators that use it stay
deterministic: the same random generator state gives the same people.
"""

from __future__ import annotations

import random
import unicodedata

# fmt: off
FIRST_NAMES = [
    "Sanne", "Emma", "Julia", "Lotte", "Anouk", "Fleur", "Sophie", "Lisa", "Eva", "Fenna",
    "Noor", "Iris", "Mila", "Saskia", "Ingrid", "Marieke", "Femke", "Fatima", "Yasmina", "Priya",
    "Anna", "Tess", "Maud", "Roos", "Esther", "Karin", "Linda", "Petra", "Ilse", "Naima",
    "Daan", "Sem", "Lucas", "Finn", "Levi", "Bram", "Thomas", "Ruben", "Jesse", "Pieter",
    "Jan", "Kees", "Henk", "Willem", "Gerrit", "Joost", "Maarten", "Mohamed", "Youssef", "Mehmet",
    "Hugo", "Jeroen", "Bas", "Niels", "Tim", "Mark", "Sander", "Wouter", "Koen", "Stijn",
]
# fmt: on

# fmt: off
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas",
    "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "El Amrani",
    "Yilmaz", "Öztürk", "Ramdin", "Bouzid", "Kramer", "Kuipers", "Molenaar", "Postma",
]
# fmt: on

# fmt: off
STREETS = [
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Julianastraat",
    "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Marktplein", "Hoofdstraat", "Lindelaan",
    "Eikenlaan", "Kastanjelaan", "Parallelweg", "Industrieweg", "Havenstraat", "Dijkweg",
    "Zeeweg", "Duinweg", "Oranjestraat", "Prins Hendrikkade", "Burgemeester de Vlugtlaan",
    "Van Goghstraat", "Rembrandtlaan", "Tulpstraat", "Meidoornweg", "Sportlaan", "Brugstraat",
    "Spoorstraat", "Raadhuisplein", "Ambachtsweg",
]
# fmt: on

# (town, postcode numbers from-to, area code without the trunk 0)
TOWNS = [
    ("Amsterdam", (1011, 1109), "20"),
    ("Haarlem", (2011, 2037), "23"),
    ("Zandvoort", (2041, 2042), "23"),
    ("Leiden", (2311, 2334), "71"),
    ("Den Haag", (2491, 2597), "70"),
    ("Delft", (2611, 2629), "15"),
    ("Rotterdam", (3011, 3089), "10"),
    ("Utrecht", (3511, 3585), "30"),
    ("Amersfoort", (3811, 3829), "33"),
    ("Zwolle", (8011, 8043), "38"),
    ("Groningen", (9711, 9747), "50"),
    ("Leeuwarden", (8911, 8941), "58"),
    ("Eindhoven", (5611, 5658), "40"),
    ("Tilburg", (5011, 5049), "13"),
    ("Breda", (4811, 4839), "76"),
    ("Nijmegen", (6511, 6546), "24"),
    ("Arnhem", (6811, 6846), "26"),
    ("Maastricht", (6211, 6229), "43"),
    ("Alkmaar", (1811, 1826), "72"),
    ("Enschede", (7511, 7548), "53"),
    ("Deventer", (7411, 7431), "570"),
    ("Middelburg", (4331, 4336), "118"),
]
TOWN_BY_NAME = {t[0]: t for t in TOWNS}

# Letters used in the letter pair of Dutch postcodes; SA, SD and SS are never issued.
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
POSTCODE_PAIRS = [a + b for a in _POSTCODE_LETTERS for b in _POSTCODE_LETTERS if a + b not in ("SA", "SD", "SS")]

# Bank identifiers of Dutch IBANs.
BANK_CODES = ["ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ"]

USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
]

# fmt: off
MONTHS_NL = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]
# fmt: on


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'van der Meer' -> 'vandermeer'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isascii() and c.isalnum())


def postcode(rng: random.Random, town: tuple) -> str:
    low, high = town[1]
    return f"{rng.randint(low, high)} {rng.choice(POSTCODE_PAIRS)}"


def landline(rng: random.Random, town: tuple) -> str:
    """An E.164 fixed-line number in the town's area (subscriber part starts 2-8)."""
    area = town[2]
    rest = 9 - len(area)
    subscriber = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(rest - 1))
    return f"+31{area}{subscriber}"


def mobile(rng: random.Random) -> str:
    return f"+316{rng.randint(20, 58)}{rng.randint(0, 999999):06d}"


def elfproef_ok(digits: str) -> bool:
    """The Dutch 11-test on a 10-digit account number (weights 10..1)."""
    return sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11 == 0


def account_number(value: int) -> str:
    """A 10-digit account number that passes the 11-test, derived from `value`."""
    span = 9 * 10**9
    offset = value * 10 % span
    while True:
        digits = str(10**9 + offset)
        if elfproef_ok(digits):
            return digits
        offset = (offset + 1) % span


def iban_nl(bank: str, account: str) -> str:
    """A Dutch IBAN with correct ISO 7064 mod-97 check digits."""
    bban = bank + account
    rearranged = bban + "NL00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    return f"NL{check:02d}{bban}"


def iban_valid(iban: str) -> bool:
    iban = iban.replace(" ", "").upper()
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def rsin(value: int) -> str:
    """Nine digits that pass the fiscal-number 11-test (weights 9..2, last digit -1)."""
    span = 9 * 10**7
    offset = value % span
    while True:
        head = str(10**7 + offset)
        last = sum(int(d) * (9 - i) for i, d in enumerate(head)) % 11
        if last < 10:
            return head + str(last)
        offset = (offset + 1) % span


def vat_number(value: int) -> str:
    return f"NL{rsin(value)}B01"


def kvk_number(value: int) -> str:
    return f"{(value % 90_000_000) + 10_000_000:08d}"
