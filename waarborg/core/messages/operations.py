"""What an operator runs: the scheduler (`waarborg scheduler`), the audit trail, the demo data."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "config.setting": _("a setting is not valid: %(message)s"),
    # the scheduler
    "operations.as_of_without_once": _("--as-of goes with --once"),
    "operations.as_of_in_future": _("--as-of %(day)s is in the future; today is %(today)s"),
    # the audit trail
    "audit.personal_data": _("the audit %(field)s may not contain personal data"),
    "audit.boundary_reserved": _("a key-rotation boundary is written by the chain itself"),
    "audit.key_missing": _("the audit trail is under key %(key)s: put that key in WAARBORG_AUDIT_KEYS_OLD to rotate"),
    # the demo data
    "demo.not_in_production": _(
        "%(command)s is for development and demonstration only, not with WAARBORG_ENV=production"
    ),
    "demo.already_loaded": _("the demo data is already loaded"),
    "demo.iban_invalid": _("not a valid IBAN"),
    "demo.column_not_filled": _("%(filler)s does not fill %(column)s; add it there"),
    "demo.customers_at_least_one": _("--customers must be at least 1"),
}
