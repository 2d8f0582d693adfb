"""The REST API: its tokens (`waarborg api`) and the privacy requests clients register."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # tokens
    "api.admin_only": _("only an administrator manages API tokens"),
    "api.scope_missing": _("give at least one scope: %(scopes)s"),
    "api.scope_unknown": _("unknown scope; the scopes are: %(scopes)s"),
    "api.issuer_not_staff": _("a token is issued by an active staff account"),
    "api.issuer_unknown": _("no active account with that e-mail address"),
    "api.client_name_invalid": _("a client name is 1 to 64 lower-case letters, digits, dots, dashes or underscores"),
    "api.token_days": _("a token lives 1 to %(max)s days"),
    "api.prefix_invalid": _("a token prefix looks like wb_1a2b3c4d"),
    "api.token_not_found": _("no API token with that prefix"),
    # privacy requests
    "api.received_out_of_range": _("the date received is out of range"),
    "api.received_in_future": _("the date received lies in the future"),
    "api.received_too_old": _("the date received lies more than %(days)s days back"),
    "api.identifier_missing": _(
        "give an identifier: an e-mail address, a phone number, a customer number, or a name with a postcode"
    ),
    "api.unmatched": _(
        "the details given do not single out one person we know; the requester can write to our "
        "privacy team, who will answer"
    ),
    "api.request_not_found": _("no such privacy request"),
}
