"""The register of recipients (T2, T3) and, as processor, the processing agreement and the
sub-processor changes (X7)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "register.recipient_not_found": _("register.recipient %(id)s not found"),
    # a recipient and its agreement
    "register.key_form": _("a key is lower-case letters, digits and -"),
    "register.key_taken": _("a recipient with this key exists"),
    "register.categories_required": _("name the data categories the recipient receives"),
    "register.categories_unknown": _("unknown data categories: %(categories)s"),
    "register.country_form": _("a country is a two-letter code such as NL"),
    "register.signed_required": _("the date the agreement was signed is required"),
    "register.expires_unsigned": _("an agreement that expires must have been signed"),
    "register.expires_before_signed": _("the agreement expires before it was signed"),
    # the processing agreement
    "register.customer_only": _("only a customer accepts the processing agreement"),
    "register.no_customer": _("this account belongs to no customer"),
    "register.accepted_already": _("this version of the processing agreement has been accepted already"),
    # a sub-processor change
    "register.processor_only": _("only a processor is a sub-processor"),
    "register.effective_on_required": _("give the date the change takes effect"),
    "register.notice_too_short": _(
        "customers are told %(days)s days ahead: the change can take effect on %(earliest)s at the earliest"
    ),
}
