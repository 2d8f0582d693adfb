"""The demo world's year of invoices and payments: monthly invoices for every service, most paid,
some overdue, some paid in part, each paid in the way the customer pays."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.core import clock
from waarborg.demo import vocab
from waarborg.demo.data import VAT_RATE

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """An amount rounded to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount: Decimal) -> Decimal:
    """The VAT on an amount excluding VAT, at VAT_RATE, rounded to the cent."""
    return money(amount * VAT_RATE / 100)


def month_starts(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the last `count` months up to `today`'s month, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def month_last_day(start: dt.date) -> dt.date:
    """The last day of the month that begins on `start`."""
    following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def make_invoices(builder) -> None:
    """Monthly invoices for the last twelve months of every customer's services, numbered per year, with their payments."""
    plans: dict[str, list[dict]] = {name: [] for name in builder.customers}
    ordered: list[dict] = []
    for month in month_starts(builder.today, 12):
        month_end = month_last_day(month)
        for name, customer in builder.customers.items():
            created = customer.created_at.astimezone(clock.AMSTERDAM).date()
            if created > month_end:
                continue
            lines = []
            for sub in builder.subscriptions[name]:
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
        decide_payments(builder, name, customer_plans)

    per_year: dict[int, int] = {}
    for plan in ordered:
        name = plan["customer"]
        customer = builder.customers[name]
        contacts = builder.contacts[name]
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
        builder.count("invoices")
        for line in plan["lines"]:
            InvoiceLine.objects.create(invoice=invoice, vat_rate=VAT_RATE, **line)
            builder.count("invoice_lines")
        if plan["paid_on"] is not None and paid > 0:
            method = builder.methods[name]
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
                received_at=builder.on(
                    plan["paid_on"], 6 if sepa else builder.rng.randint(8, 22), builder.rng.randint(0, 59)
                ),
                reference=reference,
            )
            builder.count("payments")
            if paid < incl:
                builder.count("invoices_partly_paid")
        elif plan["due"] < builder.today:
            builder.count("invoices_overdue")


def decide_payments(builder, name: str, plans: list[dict]) -> None:
    """Which invoices are paid, when, and in part: most paid, some overdue, some in part."""
    spec = builder.specs[name]
    pay = spec["pay"]
    past_due = [p for p in plans if p["due"] < builder.today]
    overdue = set(id(p) for p in past_due[len(past_due) - spec.get("overdue", 0) :]) if spec.get("overdue") else set()
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
            paid_on = plan["issue"] + dt.timedelta(days=builder.rng.randint(0, 3))
        else:
            paid_on = plan["issue"] + dt.timedelta(days=builder.rng.randint(3, 13))
        if paid_on >= builder.today:
            continue  # not yet due, or not yet paid
        plan["paid_on"] = paid_on
        plan["paid_share"] = Decimal("0.5") if plan is partial_plan else Decimal(1)
