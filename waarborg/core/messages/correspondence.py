"""Correspondence: tickets and their messages, complaints."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "correspondence.customer_message_incoming": _("a customer's message is incoming"),
    "correspondence.contact_of_another_customer": _("the contact person belongs to another customer"),
    "correspondence.ticket_closed": _("the ticket is closed; open a new one"),
    "correspondence.ticket_closed_already": _("the ticket is already closed"),
    "correspondence.ticket_archived": _("this ticket is locked away in the fiscal archive"),
    "correspondence.invoice_unknown": _("the invoice belongs to another customer, or does not exist"),
    "correspondence.complaint_handled": _("the complaint is already handled"),
}
