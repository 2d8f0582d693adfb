"""Common field names as a person reads them, for messages that name a field (`%(field)s`)."""

from django.utils.translation import gettext_lazy as _

FIELDS = {
    "email": _("e-mail address"),
    "phone": _("phone number"),
    "postcode": _("postcode"),
    "country": _("country"),
    "name": _("name"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "street": _("street"),
    "city": _("town"),
    "customer_number": _("customer number"),
    "reason": _("reason"),
    "details": _("details"),
}
