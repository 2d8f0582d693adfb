"""A customer's change of the e-mail address they sign in with."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "email_change.own_account_only": _("only the account itself changes the address it signs in with"),
    "email_change.password_wrong": _("the password is not correct"),
    "email_change.same_address": _("this is already the address you sign in with"),
    "email_change.link_not_valid": _("this confirmation link is not valid"),
    "email_change.link_used": _("this confirmation link has been used already"),
    "email_change.link_replaced": _("this confirmation link was replaced by a newer one"),
    "email_change.link_expired": _("this confirmation link has expired: ask for a new one"),
}
