"""The normal forms of identifiers (`waarborg.core.identifiers`): what is not an identifier."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "identifiers.email_invalid": _("not a valid e-mail address"),
    "identifiers.phone_invalid": _("not a valid phone number"),
    "identifiers.customer_number_invalid": _("a customer number is K followed by 5 to 9 digits"),
    "identifiers.ip_invalid": _("not a valid IP address"),
    "identifiers.postcode_nl_invalid": _("a Dutch postcode looks like 1234 AB"),
    "identifiers.postcode_invalid": _("not a valid postcode"),
    "identifiers.postcode_country_invalid": _("this is not a postcode of %(country)s, which look like %(example)s"),
    "identifiers.name_missing": _("a name is needed"),
    "identifiers.domain_invalid": _("not a valid domain name"),
}
