"""Erasure (art. 17): cases, the ledger's answer that a subject was erased before, the fiscal archive."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "erasure.archive_no_officer": _("there is no active privacy officer to alert; the archive stays closed"),
    "erasure.subject_not_found": _("no subject found for these identifiers"),
    "erasure.already_erased": _("this subject was already erased on %(day)s"),
    "erasure.already_erased_in_case": _("this subject was already erased on %(day)s (erasure case %(case)s)"),
    "erasure.nothing_left": _("there is nothing left to erase for this subject"),
    "erasure.source_unknown": _("unknown source of an erasure case"),
    "erasure.case_closed": _("erasure case %(case)s was already carried out (%(status)s)"),
    "erasure.case_closed_meanwhile": _("erasure case %(case)s was already carried out"),
    "erasure.case_failed": _("erasure case %(case)s stopped (%(error)s); everything was rolled back, nothing changed"),
    "erasure.note_personal": _(
        "the %(field)s may not contain personal data (an e-mail address, phone number, postcode…)"
    ),
    "erasure.identifier_missing": _("give an identifier: e-mail, phone, customer number, IP or name with postcode"),
    "erasure.scan_identifier_missing": _("give an identifier: e-mail, phone, customer number, IP, IBAN or name"),
    # the fiscal archive
    "erasure.archive_reason_code": _("a reason code is one of %(codes)s"),
    "erasure.archive_not_found": _("no archived records found"),
    "erasure.archive_alert_failed": _("the privacy officer could not be alerted (%(error)s); the archive stays closed"),
}

# An erasure case's state, in words (a param of `erasure.case_closed`).
CASE_STATUSES = {
    "open": _("open"),
    "on_hold": _("on hold"),
    "complete": _("erased, proven by the residual scan"),
    "incomplete": _("erased, but the residual scan found data"),
}
