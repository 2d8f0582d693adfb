"""Rules that hold for any input field."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "input.required": _("%(field)s is required"),
    "input.empty": _("%(field)s cannot be empty"),
    "input.too_long": _("%(field)s is longer than %(max)s characters"),
    "input.one_of": _("%(field)s must be one of %(choices)s"),
}
