"""The record of a claim is kept 5 years after its case closed, then erased — not as a fiscal record.

A contest and the decision on it, the approval to hand the claim to a bailiff, the hand-off, the
notices of those decisions and the case file the bailiff received are kept to establish or
defend the claim (art. 17(3)(e) GDPR) until it is time-barred: 5 years (art. 3:307 BW). The
expectations are written out from that rule, by hand: a case closed on 15 April 2026 is kept up
to and including 15 April 2031 and goes on 16 April 2031; a case closed on 29 February 2028 is
kept up to and including 28 February 2033 (2033 has no 29 February: the term ends on the last
day of that month) and goes on 1 March 2033. The rest of the case (its other decisions and
notices) is the financial record: 31 December of its year + 7 years.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from waarborg.core.datamap import AMSTERDAM
from waarborg.dunning.models import Approval, Case, CaseFile, Contest, Decision, Ladder, Notice
from waarborg.erasure.plan import erasure_plan
from waarborg.exports.access import access_package_content
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
ONE = dt.timedelta(days=1)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=AMSTERDAM)


class Claim:
    """A consumer's collection case, built row by row as the dunning services leave it: the final
    notice contested and the contest rejected, the bailiff hand-off approved with its case file,
    then everything paid and the case closed on `closed`."""

    def __init__(self, customer, contact, closed: dt.date):
        year = closed.year
        self.bailiff = f.RecipientFactory(
            key=f"deurwaarder-{year}",
            name="Gerechtsdeurwaarders West",
            kind="third_party",
            category="bailiff",
            purpose="Incasso van onbetaalde facturen",
            data_categories=["D1", "D2", "D5", "D7"],
            agreement_signed_at=D(year - 1, 1, 1),
        )
        version = Ladder.objects.get(key="consumer").current()
        self.case = Case.objects.create(
            customer=customer,
            ladder_version=version,
            status=Case.Status.CLOSED,
            opened_on=D(year, 1, 12),
            closed_on=closed,
            close_reason="paid",
            anchor_date=D(year, 1, 5),
            costs_amount="40.00",
        )

        def decision(kind: str, day: dt.date, *, notice: bool = True, **kw) -> Decision:
            made = Decision.objects.create(
                case=self.case,
                customer=customer,
                ladder_version=version,
                kind=kind,
                rule=f"ladder consumer v{version.version}: {kind}",
                facts={"invoices": [{"number": "F2026-0001", "open": "121.00"}]},
                outcome=kind,
                decided_on=day,
                decided_at=at(day),
                key=f"test:{self.case.pk}:{kind}",
                **kw,
            )
            if notice:
                Notice.objects.create(
                    case=self.case,
                    customer=customer,
                    decision=made,
                    kind=kind,
                    contact=contact,
                    language="nl",
                    status=Notice.Status.SENT,
                    next_attempt_at=at(day),
                    created_at=at(day),
                    sent_at=at(day),
                    key=f"test:{self.case.pk}:{kind}:notice",
                )
            return made

        self.final_notice = decision("final_notice", D(year, 2, 9))
        self.contest = Contest.objects.create(
            case=self.case,
            customer=customer,
            kind=Contest.Kind.CONTEST,
            via_decision=self.final_notice,
            statement="Deze dienst heb ik opgezegd.",
            received_at=at(D(year, 2, 11)),
            status=Contest.Status.REJECTED,
            decided_at=at(D(year, 3, 2)),
            reason="De dienst liep door tot 1 maart.",
        )
        self.on_contest = decision("contest_decided", D(year, 3, 2), reason="De dienst liep door tot 1 maart.")
        self.bailiff_step = decision("bailiff", D(year, 3, 16), notice=False)
        self.approval = Approval.objects.create(
            case=self.case,
            customer=customer,
            kind=Approval.Kind.BAILIFF,
            decision=self.bailiff_step,
            requested_on=D(year, 3, 16),
            status=Approval.Status.APPROVED,
            decided_at=at(D(year, 3, 18)),
            reason="Geen reactie op vier brieven.",
            recipient=self.bailiff,
        )
        self.hand_off = decision("bailiff_handoff", D(year, 3, 18))
        self.case_file = CaseFile.objects.create(
            case=self.case,
            customer=customer,
            approval=self.approval,
            recipient=self.bailiff,
            handed_on=D(year, 3, 18),
            content={"debtor": {"customer_number": customer.number}, "invoices": [{"number": "F2026-0001"}]},
            text="DOSSIER VOOR DE GERECHTSDEURWAARDER",
            sent_at=at(D(year, 3, 18)),
        )
        self.closing = decision("closed", closed)

    def claim_rows(self) -> dict[str, bool]:
        """Whether each record of the claim is still there."""
        notices = Notice.objects.filter(decision__in=[self.on_contest, self.hand_off])
        return {
            "contest": Contest.objects.filter(pk=self.contest.pk).exists(),
            "decision on the contest": Decision.objects.filter(pk=self.on_contest.pk).exists(),
            "bailiff approval": Approval.objects.filter(pk=self.approval.pk).exists(),
            "hand-off": Decision.objects.filter(pk=self.hand_off.pk).exists(),
            "case file": CaseFile.objects.filter(pk=self.case_file.pk).exists(),
            "their notices": notices.count() == 2,
        }

    def fiscal_rows(self) -> dict[str, bool]:
        return {
            "case": Case.objects.filter(pk=self.case.pk).exists(),
            "final notice": Decision.objects.filter(pk=self.final_notice.pk).exists(),
            "its notice": Notice.objects.filter(decision=self.final_notice).exists(),
            "bailiff step": Decision.objects.filter(pk=self.bailiff_step.pk).exists(),
            "closing": Decision.objects.filter(pk=self.closing.pk).exists(),
        }


def daily(day: dt.date) -> str:
    out = io.StringIO()
    call_command("daily", "--as-of", day.isoformat(), "--only", "retention", stdout=out)
    return out.getvalue()


@pytest.mark.promise("A3", "A5", "X4", "R4")
@pytest.mark.parametrize(
    ("closed", "last_day", "fiscal_last_day"),
    [
        (D(2026, 4, 15), D(2031, 4, 15), D(2033, 12, 31)),
        (D(2028, 2, 29), D(2033, 2, 28), D(2035, 12, 31)),
    ],
)
def test_the_record_of_a_claim_is_kept_5_years_after_the_case_closed_and_erased_the_day_after(
    personas, closed, last_day, fiscal_last_day
):
    claim = Claim(personas.alice_customer, personas.alice_contact, closed)
    daily(last_day)
    assert all(claim.claim_rows().values()), claim.claim_rows()
    out = daily(last_day + ONE)
    assert not any(claim.claim_rows().values()), claim.claim_rows()
    assert "legal_claim_5y=" in out
    # the rest of the case is the financial record: 31 December of its year + 7 years
    assert all(claim.fiscal_rows().values()), claim.fiscal_rows()
    daily(fiscal_last_day)
    assert all(claim.fiscal_rows().values()), claim.fiscal_rows()
    daily(fiscal_last_day + ONE)
    assert not any(claim.fiscal_rows().values()), claim.fiscal_rows()


@pytest.mark.promise("A5", "R4", "G3")
def test_the_erasure_plan_keeps_the_record_of_a_claim_as_such_until_its_last_day(personas):
    claim = Claim(personas.alice_customer, personas.alice_contact, D(2026, 4, 15))
    hits = subject_find(Query(email="alice.devries@example.nl"))
    plan = erasure_plan(hits, day=D(2026, 6, 1))
    contest = next(r for r in plan.rows if r.model == "dunning.Contest")
    case_file = next(r for r in plan.rows if r.model == "dunning.CaseFile")
    on_contest = next(r for r in plan.rows if r.model == "dunning.Decision" and r.pk == claim.on_contest.pk)
    final_notice = next(r for r in plan.rows if r.model == "dunning.Decision" and r.pk == claim.final_notice.pk)
    for row in (contest, case_file, on_contest):
        assert row.action == "keep" and row.until == D(2031, 4, 15), row
        assert {fa.retention for fa in row.fields} == {"legal_claim_5y"}
        assert {fa.basis for fa in row.fields} == {"legal_claim"}
    assert {fa.retention for fa in final_notice.fields} == {"fiscal_7y"} and final_notice.until == D(2033, 12, 31)
    nl, en = plan.notice("nl"), plan.notice("en")
    assert "art. 17 lid 3 sub e AVG" in nl and "5 jaar na het sluiten van de incassozaak" in nl
    assert "verjaring, art. 3:307 BW" in nl and "rechtsvordering" in nl
    assert "GDPR art. 17(3)(e)" in en and "5 years after the collection case closed" in en
    assert "establishing, exercising or defending a legal claim (art. 6(1)(f), art. 17(3)(e))" in en
    # on its last day the plan still keeps it; the day after nothing keeps it any more
    assert next(r for r in erasure_plan(hits, day=D(2031, 4, 15)).rows if r.model == "dunning.Contest").stays
    assert next(r for r in erasure_plan(hits, day=D(2031, 4, 16)).rows if r.model == "dunning.Contest").action == (
        "delete"
    )


@pytest.mark.promise("G1", "A5")
def test_the_access_report_says_the_contest_is_kept_for_the_claim_and_until_when(personas):
    Claim(personas.alice_customer, personas.alice_contact, D(2026, 4, 15))
    package = access_package_content(hits=subject_find(Query(email="alice.devries@example.nl")))
    d11 = next(c for c in package.data["categories"] if c["id"] == "D11")
    record = next(r for r in d11["records"] if r["model"] == "dunning.Contest")
    assert record["kind"] == {"nl": "Betwisting van een incassostap", "en": "Contest of a collection step"}
    (kept,) = record["retention"]
    assert kept["rule"] == "legal_claim_5y" and kept["anchor"] == "claim_closed"
    assert (kept["anchor_date"], kept["kept_until"], kept["erase_on"]) == ("2026-04-15", "2031-04-15", "2031-04-16")
    assert kept["text"]["nl"] == "tot en met 15 april 2031; gewist op 16 april 2031"
    assert kept["text"]["en"] == "up to and including 15 April 2031; erased on 16 April 2031"
    rule = next(r for r in d11["art15"]["d"] if r["rule"] == "legal_claim_5y")
    assert "art. 3:307" in rule["text"]["en"] and "art. 17(3)(e)" in rule["text"]["en"]
    assert rule["term"]["nl"] == "Termijn: 5 jaar, te rekenen vanaf het sluiten van de incassozaak."
    u15 = next(p for p in d11["art15"]["a"] if p["purpose"] == "U15")
    assert {b["basis"]: b["article"] for b in u15["bases"]} == {"legal_claim": "art. 6(1)(f), art. 17(3)(e)"}
    assert "Betwisting van een incassostap" in package.html["nl"] and "15 april 2031" in package.html["nl"]
