"""Consents: giving, refusing and withdrawing them (C1, G4, M1)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "consents.record_not_found": _("consents.consentrecord %(id)s not found"),
    "consents.account_not_found": _("accounts.account %(id)s not found"),
    "consents.contact_not_found": _("customers.contact %(id)s not found"),
    "consents.own_only": _("consent is given by the person themselves"),
    "consents.device_id_invalid": _("not a valid device id"),
    "consents.subject_required": _("a consent needs an account, a contact person or a device"),
    "consents.different_people": _("the account and the contact person are different people"),
    "consents.under_16": _("under 16, consent needs a parent's or guardian's recorded consent"),
}
