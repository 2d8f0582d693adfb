"""Inviting a customer's contact person to the portal."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invitation.no_email": _("this contact person has no e-mail address to send the invitation to"),
    "invitation.has_account": _("this contact person has a portal account already"),
}
