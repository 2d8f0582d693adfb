"""The customer portal (`waarborg.portal`): what only the primary contact person does."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "portal.agreement_primary_contact_only": _("only the primary contact person changes the agreement"),
    "portal.termination_primary_contact_only": _("only the primary contact person ends the contract"),
}
