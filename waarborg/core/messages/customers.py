"""Customers, their contact persons, numbering and the agreement to receive notices by e-mail."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "customers.series_full": _("no %(name)s left in the series %(prefix)s"),
    "customers.customer_not_found": _("customers.customer %(id)s not found"),
    # a customer
    "customers.kvk_form": _("a KvK number has 8 digits"),
    "customers.vat_form": _("a VAT number looks like NL123456789B01"),
    "customers.private_without_kvk": _("a private person has no KvK or VAT number"),
    "customers.business_needs_kvk": _("a business customer needs a KvK or VAT number"),
    # a contact person
    "customers.country_form": _("a country is a two-letter code such as NL"),
    "customers.fields_fixed": _("these fields cannot be changed here: %(fields)s"),
    # notices by e-mail (art. 6:227a BW)
    "customers.date_form": _("%(field)s must be a date (YYYY-MM-DD)"),
    "customers.agreement_own_only": _("a customer records an agreement of their own, not a contract term"),
    "customers.day_in_future": _("%(field)s may not be in the future"),
    "customers.no_agreement_to_withdraw": _("there is no standing agreement to withdraw"),
    "customers.before_agreement": _("%(field)s may not be before the agreement"),
}

FIELDS = {
    "kvk_number": _("KvK number"),
    "vat_number": _("VAT number"),
    "reference": _("the reference"),
    "agreed_on": _("the date agreed"),
    "withdrawn_on": _("the end date of the agreement"),
}
