"""The catalogue: products and the customers' subscriptions to them."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # a product
    "catalogue.admin_only": _("only administrators change the catalogue"),
    "catalogue.code_form": _("a product code is lower-case letters, digits, - and _"),
    "catalogue.code_taken": _("a product with this code exists"),
    "catalogue.not_an_amount": _("%(field)s is not an amount"),
    "catalogue.negative_price": _("a price cannot be negative"),
    # a subscription
    "catalogue.domain_required": _("a domain name is required for this product"),
    "catalogue.domain_invalid": _("not a valid domain name"),
    "catalogue.unknown_kind": _("the product has an unknown kind"),
    "catalogue.product_withdrawn": _("the product is no longer offered"),
    "catalogue.customer_ended": _("the customer relationship has ended"),
    "catalogue.block_not_active": _("only an active subscription can be blocked"),
    "catalogue.unblock_not_blocked": _("only a blocked subscription can be unblocked"),
    "catalogue.cancelled_already": _("the subscription is already cancelled"),
    "catalogue.end_before_start": _("the end date lies before the start date"),
}

FIELDS = {
    "monthly_price": _("the monthly price"),
}
