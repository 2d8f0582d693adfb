"""Accounts: passwords, enrolment links and the second factor."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "accounts.password_required": _("a password is required"),
    "accounts.password_refused": _("this password does not meet the rules: %(rules)s"),
    "accounts.email_taken": _("an account with this e-mail address already exists"),
    "accounts.enrolment_link_not_found": _("enrolment link not found"),
    "accounts.enrolment_link_used": _("this enrolment link is used"),
    "accounts.enrolment_link_expired": _("this enrolment link is expired"),
    "accounts.authenticator_not_in_setup": _("this authenticator is not being set up for this account"),
}
