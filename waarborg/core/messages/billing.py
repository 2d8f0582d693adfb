"""Billing: invoices, payments, payment methods and direct-debit mandates."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "billing.not_an_amount": _("%(field)s is not an amount"),
    "billing.currency": _("a currency is a three-letter code such as EUR"),
    "billing.iban": _("not a valid IBAN"),
    "billing.iban_length": _("not a valid IBAN (wrong length for its country)"),
    "billing.iban_check_digits": _("not a valid IBAN (check digits do not match)"),
    "billing.contact_of_another_customer": _("the billing contact belongs to another customer"),
    "billing.no_contact": _("the customer has no contact person to invoice"),
    "billing.address_incomplete": _("the billing contact has no complete address"),
    "billing.address_too_long": _("the address is too long to print"),
    "billing.no_lines": _("an invoice needs at least one line"),
    "billing.quantity": _("a quantity must be more than zero"),
    "billing.vat_rate": _("a VAT rate is 0, 9 or 21"),
    "billing.subscription_of_another_customer": _("the subscription belongs to another customer"),
    "billing.payment_term": _("a payment term cannot be negative"),
    "billing.due_before_issue": _("the due date lies before the issue date"),
    "billing.total": _("an invoice total must be more than zero"),
    "billing.cancel_not_open": _("only an open invoice without payments can be cancelled"),
    "billing.unknown_invoice": _("unknown invoice"),
    "billing.payment_amount": _("a payment must be more than zero"),
    "billing.payment_currency": _("the payment is in another currency than the invoice"),
    "billing.invoice_cancelled": _("the invoice is cancelled"),
    "billing.payment_above_open": _("the payment is more than the amount open"),
    "billing.payment_method_of_another_customer": _("the payment method belongs to another customer"),
    "billing.mandate_holder": _("a direct debit mandate names the account holder"),
    "billing.mandate_reference": _("a mandate reference has at most 35 plain characters"),
    "billing.mandate_reference_only": _("only a direct debit mandate has a mandate reference"),
}

FIELDS = {
    "quantity": _("quantity"),
    "unit_price": _("unit price"),
    "vat_rate": _("VAT rate"),
    "amount": _("amount"),
}
