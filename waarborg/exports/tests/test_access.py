"""The access package (art. 15): the copy, the art. 15(1)(a)–(h) information, and its limits."""

import calendar
import dataclasses
import datetime as dt
import html
import io
from html.parser import HTMLParser

import pytest
from django.db.models.fields.files import FieldFile

from waarborg.core import datamap
from waarborg.core.errors import ValidationError
from waarborg.exports import texts
from waarborg.exports.access import access_package_build, access_package_content
from waarborg.exports.collect import json_of
from waarborg.exports.tests.conftest import ALICE_FILE, ALICE_IBAN, BOB_FILE, ISSUED
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

LETTERS = "abcdefgh"


def alice_hits(world):
    return subject_find(Query(email=world["alice"].email))


def values_by_record(data) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for category in data["categories"]:
        for record in category["records"]:
            for value in record["values"]:
                out.setdefault(record["record"], {})[value["field"]] = value["value"]
    return out


@pytest.mark.promise("G1", "D7")
def test_the_package_holds_every_declared_value_of_every_hit_row(world, opened):
    hits = alice_hits(world)
    package = opened(access_package_build(hits=hits))
    data = package.json()
    assert data["processed"] is True and data["grouping"] == "category"
    copy = values_by_record(data)
    registry = datamap.registry()
    checked = 0
    for hit in hits:
        entry = registry[hit.model]
        obj = entry.model._default_manager.get(pk=hit.pk)
        for name, declared in entry.fields.items():
            raw = getattr(obj, name)
            if declared.portability == "excluded" or raw in (None, "") or (isinstance(raw, FieldFile) and not raw):
                continue
            if hit.model == "correspondence.Message" and hit.pk == world["foreign"].pk and declared.source == "subject":
                continue  # another person's message: left out (art. 15(4)), tested below
            if hit.model == "correspondence.Attachment" and obj.message_id == world["foreign"].pk:
                continue
            assert copy[f"{hit.model}#{hit.pk}"][name] == json_of(raw), (hit.model, name)
            checked += 1
    assert checked > 50
    # The subject's own copy shows the IBAN in full, in the data and in both reports.
    assert copy[next(r for r in copy if r.startswith("billing.PaymentMethod"))]["iban"] == ALICE_IBAN
    for report in ("rapport.html", "report.html"):
        text = package.text(report)
        assert ALICE_IBAN in text
        assert html.escape("Mijn mailbox van alicedevries.nl is vol.") in text
    # Values are grouped per category and per record, each record with its context.
    d7 = next(c for c in data["categories"] if c["id"] == "D7")
    invoice = next(r for r in d7["records"] if r["model"] == "billing.Invoice")
    assert invoice["context"]["number"]["value"] == "F2025-0042"
    assert invoice["context"]["issue_date"]["value"] == "2025-03-01"
    assert invoice["kind"] == {"nl": "Factuur", "en": "Invoice"}
    assert invoice["why"]["nl"] and invoice["rule"]
    message = next(r for c in data["categories"] for r in c["records"] if r["model"] == "correspondence.Message")
    assert message["part_of"]["ticket"]["record"] == f"correspondence.Ticket#{world['ticket'].pk}"


@pytest.mark.promise("G1")
def test_file_fields_are_listed_by_name_and_their_bytes_included(world, opened):
    package = opened(access_package_build(hits=alice_hits(world)))
    data = package.json()
    files = [f for f in data["files"] if f["field"] == "file"]
    assert [f["name"] for f in files] == ["schermafdruk.pdf"]
    assert package.read(files[0]["path"]) == ALICE_FILE
    assert files[0]["path"].startswith("files/")
    assert "schermafdruk.pdf" in package.text("rapport.html")


@pytest.mark.promise("G1", "K3", "T3")
def test_every_category_has_art_15_1_a_to_h_in_dutch_and_english(world, opened):
    package = opened(access_package_build(hits=alice_hits(world)))
    data = package.json()
    ids = [c["id"] for c in data["categories"]]
    assert ids == sorted(ids, key=lambda c: int(c[1:])) and {
        "D1",
        "D2",
        "D3",
        "D4",
        "D5",
        "D6",
        "D7",
        "D9",
        "D11",
    } <= set(ids)
    nl, en = package.text("rapport.html"), package.text("report.html")
    for category in data["categories"]:
        art = category["art15"]
        assert set(art) == set(LETTERS)
        for lang in ("nl", "en"):
            assert all(p["name"][lang] and p["bases"] for p in art["a"])
            assert art["b"]["category"][lang] and all(k["fields"] for k in art["b"]["kinds"])
            assert art["c"]["categories"] or art["c"]["statement"][lang]
            assert all(r["text"][lang] and r["term"][lang] for r in art["d"])
            assert art["e"][lang] and art["f"][lang] and art["h"]["text"][lang]
            assert all(s["text"][lang] for s in art["g"])
        assert "Autoriteit Persoonsgegevens" in art["f"]["nl"] and "Autoriteit Persoonsgegevens" in art["f"]["en"]
        for word in ("rectificatie", "wissen", "beperken", "bezwaar"):
            assert word in art["e"]["nl"]
        for word in ("rectification", "erase", "restrict", "object"):
            assert word in art["e"]["en"]
        for lang, report in (("nl", nl), ("en", en)):
            for letter in LETTERS:
                assert html.escape(texts.LETTERS[letter][0 if lang == "nl" else 1]) in report
            assert html.escape(category["name"][lang]) in report
    by_id = {c["id"]: c["art15"] for c in data["categories"]}
    # (a): purposes by name, with their legal basis.
    assert {p["purpose"] for p in by_id["D7"]["a"]} >= {"U3", "U4"}
    assert by_id["D7"]["a"][0]["name"]["en"] == datamap.PURPOSES[by_id["D7"]["a"][0]["purpose"]][1]
    # (c): the map's recipient categories and the registered organisations (C-154/21).
    d7 = {c["key"]: c for c in by_id["D7"]["c"]["categories"]}
    assert [r["name"] for r in d7["payment_provider"]["recipients"]] == ["Betaalhuis B.V."]
    assert d7["payment_provider"]["recipients"][0]["kind"] == "processor"
    assert d7["payment_provider"]["recipients"][0]["country"] == "NL"
    assert d7["accountant"]["recipients"][0]["agreement_valid"] is False
    assert "Stichting Internet Domeinregistratie Nederland" in nl and "Betaalhuis B.V." in en
    d4 = {c["key"]: c for c in by_id["D4"]["c"]["categories"]}
    assert [r["name"] for r in d4["registry"]["recipients"]] == ["Stichting Internet Domeinregistratie Nederland"]
    assert by_id["D6"]["c"]["statement"]["en"] == texts.NO_RECIPIENTS[1]  # IP addresses go to no one
    # (d): the rule, and the actual date where the anchor date is known.
    fiscal = next(r for r in by_id["D7"]["d"] if r["rule"] == "fiscal_7y")
    invoice_date = next(d for d in fiscal["records"] if d["record"].startswith("billing.Invoice#"))
    # kept up to and including 31 December of the invoice year + 7, gone on 1 January after
    assert invoice_date["kept_until"] == dt.date(ISSUED.year + 7, 12, 31).isoformat()
    assert invoice_date["erase_on"] == dt.date(ISSUED.year + 8, 1, 1).isoformat()
    assert "tot en met 31 december 2032; gewist op 1 januari 2033" in nl
    assert "up to and including 31 December 2032; erased on 1 January 2033" in en
    while_customer = next(r for r in by_id["D2"]["d"] if r["rule"] == "while_customer")
    assert all(d["erase_on"] is None for d in while_customer["records"])  # still a customer
    login = next(r for r in by_id["D6"]["d"] if r["rule"] == "login_6m")["records"][0]
    signed_in = dt.date.fromisoformat(login["anchor_date"][:10])
    month = signed_in.month + 6  # 6 months on, the same day of the month (or the month's last day)
    year, month = signed_in.year + (month - 1) // 12, (month - 1) % 12 + 1
    kept = dt.date(year, month, min(signed_in.day, calendar.monthrange(year, month)[1]))
    assert login["kept_until"] == kept.isoformat()
    assert login["erase_on"] == (kept + dt.timedelta(days=1)).isoformat()
    # (g): the source where the data did not come from the subject.
    assert {s["source"] for s in by_id["D7"]["g"]} >= {"subject", "system", "third_party"}
    # (h): the dunning logic for payment data; no automated decisions elsewhere.
    assert by_id["D7"]["h"]["automated"] is True
    for word in ("herinneringen", "blokkeren", "deurwaarder", "opgezegd", "betwisten", "medewerker"):
        assert word in by_id["D7"]["h"]["text"]["nl"]
    assert "bailiff" in by_id["D7"]["h"]["text"]["en"] and "pauses" in by_id["D7"]["h"]["text"]["en"]
    assert by_id["D3"]["h"] == {"automated": False, "text": {"nl": texts.NO_AUTOMATED[0], "en": texts.NO_AUTOMATED[1]}}


def _blank_category(monkeypatch, category: str, **changes):
    for entry in datamap.entries():
        for name, declared in entry.fields.items():
            if declared.category == category:
                monkeypatch.setitem(entry.fields, name, dataclasses.replace(declared, **changes))


MISSING = {
    "a": lambda mp: _blank_category(mp, "D3", purposes=()),
    "b": lambda mp: mp.setitem(datamap.CATEGORIES, "D3", ("", "")),
    "c": lambda mp: mp.setitem(datamap.RECIPIENT_CATEGORIES, "mail_provider", ("Mailverzending", "")),
    "d": lambda mp: _blank_category(
        mp, "D3", retention=dataclasses.replace(datamap.WHILE_CUSTOMER, nl="", en="", key="blank")
    ),
    "e": lambda mp: mp.setattr(texts, "RIGHTS", ("", "")),
    "f": lambda mp: mp.setattr(texts, "COMPLAINT", ("Klacht", "")),
    "g": lambda mp: mp.setitem(texts.SOURCES, "subject", ("", "")),
    "h": lambda mp: mp.setattr(texts, "NO_AUTOMATED", ("", "")),
}


@pytest.mark.promise("G1")
@pytest.mark.parametrize("letter", LETTERS)
def test_the_builder_refuses_to_finish_when_a_letter_is_empty(world, monkeypatch, letter):
    hits = alice_hits(world)
    MISSING[letter](monkeypatch)
    with unchanged(), pytest.raises(ValidationError) as caught:
        access_package_build(hits=hits)
    message = str(caught.value)
    assert f"art. 15(1)({letter})" in message
    expected = {"c": "D3", "e": "D1", "f": "D1", "g": "D1", "h": "D1"}.get(letter, "D3")
    assert f"category {expected} " in message
    assert caught.value.field == f"{expected}.{letter}"


@pytest.mark.promise("G1")
def test_the_recipients_statement_is_required_where_the_map_names_no_recipient(world, monkeypatch):
    monkeypatch.setattr(texts, "NO_RECIPIENTS", ("", ""))
    with unchanged(), pytest.raises(ValidationError, match=r"category D\d+ has no art\. 15\(1\)\(c\)"):
        access_package_build(hits=alice_hits(world))


@pytest.mark.promise("G1")
def test_other_peoples_data_and_staff_names_are_left_out(world, opened):
    package = opened(access_package_build(hits=alice_hits(world)))
    everything = package.everything()
    bob, carol = world["bob"], world["carol"]
    for other in (bob.email, "Bob Jansen", "Bakkerij Jansen", carol.email, "Carol", "bob-bijlage"):
        assert other.encode() not in everything, other
    assert BOB_FILE not in everything
    data = package.json()
    assert data["left_out"]["other_people_records"] == 2  # Bob's message and its attachment
    foreign = next(
        r
        for c in data["categories"]
        for r in c["records"]
        if r["record"] == f"correspondence.Message#{world['foreign'].pk}"
    )
    assert [w["field"] for w in foreign["withheld"]] == ["body", "from_address"] or {
        w["field"] for w in foreign["withheld"]
    } == {"body", "from_address"}
    assert [v["field"] for v in foreign["values"]] == ["sent_at"]
    # Staff's reply to Alice is hers to read; who wrote it is not.
    assert html.escape("We hebben hem vergroot.") in package.text("rapport.html")
    for report, lang in (("rapport.html", 0), ("report.html", 1)):
        assert html.escape(texts.STAFF_LEFT_OUT[lang]) in package.text(report)
        assert html.escape(texts.WITHHELD[lang]) in package.text(report)


@pytest.mark.promise("G1")
def test_security_data_is_named_but_never_reproduced(world, opened):
    alice = world["alice"]
    alice.set_password("een lang geheim wachtwoord")
    alice.save(update_fields=["password"])
    package = opened(access_package_build(hits=alice_hits(world)))
    everything = package.everything()
    assert alice.password.encode() not in everything
    from waarborg.billing.models import PaymentMethod

    iban_hash = PaymentMethod.objects.get(customer=world["customer"]).iban_hash
    assert iban_hash.encode() not in everything
    held = {(r["model"], h["field"]) for c in package.json()["categories"] for r in c["records"] for h in r["held"]}
    assert {("accounts.Account", "password"), ("billing.PaymentMethod", "iban_hash")} <= held
    assert ("otp_totp.TOTPDevice", "key") in held


class _StrictParser(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "col", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        assert "src" not in attrs and "style" not in attrs, tag
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


@pytest.mark.promise("G1")
@pytest.mark.parametrize("lang_primary", ["nl", "en"])
def test_the_zip_opens_and_both_reports_parse_as_self_contained_html(world, opened, lang_primary):
    out = io.BytesIO()
    assert access_package_build(hits=alice_hits(world), lang_primary=lang_primary, out=out) is None
    package = opened(out.getvalue())
    first = "rapport.html" if lang_primary == "nl" else "report.html"
    assert package.names()[0] == first
    assert {"rapport.html", "report.html", "data.json"} <= set(package.names())
    assert package.json()["language"] == lang_primary
    for name, lang in (("rapport.html", "nl"), ("report.html", "en")):
        parser = _StrictParser()
        parser.feed(package.text(name))
        parser.close()
        assert parser.stack == []
        assert parser.html_lang == lang
        assert len(parser.ids) == len(set(parser.ids)), "ids are unique"
        assert not ({"script", "link", "img", "iframe"} & parser.tags)
        assert {"main", "h1", "h2", "table", "caption", "th"} <= parser.tags
        for href in parser.hrefs:
            assert href.startswith("#") and href[1:] in parser.ids or href in ("rapport.html", "report.html")


@pytest.mark.promise("G1")
def test_a_path_gets_a_file_only_its_owner_can_read(world, opened, tmp_path):
    target = tmp_path / "inzage.zip"
    access_package_build(hits=alice_hits(world), out=str(target))
    assert target.stat().st_mode & 0o077 == 0
    assert opened(target.read_bytes()).json()["processed"] is True


@pytest.mark.promise("G1")
def test_no_rows_confirm_that_no_data_is_processed(db, opened):
    package = opened(access_package_build(hits=[], generated_at=dt.datetime(2026, 2, 3, 10, 0, tzinfo=dt.UTC)))
    data = package.json()
    assert data["processed"] is False and data["categories"] == []
    assert data["confirmation"]["nl"] == texts.NOT_PROCESSED[0]
    assert html.escape(texts.NOT_PROCESSED[1]) in package.text("report.html")
    assert data["generated_at"].startswith("2026-02-03T11:00:00")


@pytest.mark.promise("G1")
def test_counts_for_the_audit_carry_no_values(world):
    package = access_package_content(hits=alice_hits(world))
    counts = package.counts
    assert set(counts) == {"records", "categories", "values", "files", "left_out_records"}
    assert all(isinstance(v, int) for v in counts.values())
    assert counts["files"] == 1 and counts["left_out_records"] == 2


@pytest.mark.promise("G1")
def test_hits_stored_as_plain_dicts_give_the_same_package(world):
    hits = alice_hits(world)
    moment = dt.datetime(2026, 2, 3, 10, 0, tzinfo=dt.UTC)
    assert access_package_build(hits=[h.as_dict() for h in hits], generated_at=moment) == access_package_build(
        hits=hits, generated_at=moment
    )
