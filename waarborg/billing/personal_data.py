from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.core.datamap import FISCAL_7Y, WHILE_CUSTOMER, Link, declare, pd
from waarborg.customers.personal_data import NATURAL

# Invoices, their lines and payments are the fiscal record (R3): kept until 31 December of the
# invoice year + 7 years, locked away meanwhile (R4), never pseudonymised (an invoice must stay
# complete).
declare(
    Invoice,
    subject="the customer invoiced, and the billing contact named on it",
    fields={
        "name_printed": pd("D1", "user.name.invoice", "U3 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority bailiff"),
        "address_printed": pd("D2", "user.contact.address.invoice", "U3 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority bailiff"),
        "total_excl": pd("D7", "user.financial.invoice_amount", "U3 U4 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority bailiff", source="system"),
        "vat_amount": pd("D7", "user.financial.invoice_amount", "U3 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority", source="system"),
        "total_incl": pd("D7", "user.financial.invoice_amount", "U3 U4 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority bailiff", source="system"),
        "amount_paid": pd("D7", "user.financial.amount_paid", "U4 U14", "legal_obligation", FISCAL_7Y, "retain", "observed", recipients="accountant bailiff", source="system"),
    },
    not_personal=("customer", "billing_contact", "number", "issue_date", "due_date", "currency", "status"),
    links=(
        Link("customer", "customers.Customer", "invoice of this customer", up_when=NATURAL),
        Link("billing_contact", "customers.Contact", "invoice addressed to this contact person"),
    ),
)

declare(
    InvoiceLine,
    subject="the customer invoiced",
    fields={
        "description": pd("D1", "user.financial.invoice_line", "U3 U14", "legal_obligation", FISCAL_7Y, "retain", "provided", recipients="accountant tax_authority", source="system"),
    },
    not_personal=("invoice", "subscription", "quantity", "unit_price", "vat_rate"),
    links=(
        Link("invoice__customer", "customers.Customer", "line of an invoice of this customer", up_when=NATURAL),
        Link("invoice__billing_contact", "customers.Contact", "line of an invoice addressed to this contact person"),
    ),
)

declare(
    PaymentMethod,
    subject="the customer who pays, and the account holder",
    fields={
        "holder_name": pd("D7", "user.financial.account_holder", "U3 U4", "contract", WHILE_CUSTOMER, "delete", "provided", recipients="payment_provider"),
        "iban": pd("D7", "user.financial.bank_account", "U3 U4", "contract", WHILE_CUSTOMER, "delete", "provided", recipients="payment_provider"),
        "iban_last4": pd("D7", "user.financial.bank_account", "U3 U4", "contract", WHILE_CUSTOMER, "delete", "derived", source="system"),
        "iban_hash": pd("D7", "user.financial.bank_account", "U4 U12", "contract", WHILE_CUSTOMER, "delete", "excluded", identifier="iban", source="system"),
        "mandate_reference": pd("D7", "user.financial.mandate", "U3 U4", "contract", WHILE_CUSTOMER, "delete", "provided", recipients="payment_provider", source="system"),
        "mandate_signed_at": pd("D7", "user.financial.mandate", "U3 U4", "contract", WHILE_CUSTOMER, "delete", "provided", recipients="payment_provider"),
    },
    not_personal=("customer", "kind", "created_at"),
    links=(Link("customer", "customers.Customer", "payment method of this customer", up_when=NATURAL),),
)

declare(
    Payment,
    subject="the customer who paid",
    fields={
        "amount": pd("D7", "user.financial.payment", "U4 U14", "legal_obligation", FISCAL_7Y, "retain", "observed", recipients="accountant tax_authority bailiff", source="system"),
        "received_at": pd("D7", "user.financial.payment", "U4 U14", "legal_obligation", FISCAL_7Y, "retain", "observed", recipients="accountant", source="system"),
        "reference": pd("D7", "user.financial.payment_reference", "U4 U14", "legal_obligation", FISCAL_7Y, "retain", "observed", recipients="accountant", source="third_party"),
    },
    not_personal=("invoice", "customer", "payment_method", "currency"),
    links=(
        Link("customer", "customers.Customer", "payment by this customer", up_when=NATURAL),
        Link("invoice__billing_contact", "customers.Contact", "payment of an invoice addressed to this contact person"),
    ),
)
