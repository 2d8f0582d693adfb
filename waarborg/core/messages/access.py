"""Who may read and change what (need-to-know, B2): the refusals of `core.access` and `core.roles`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "access.not_found": _("%(object)s %(id)s not found"),
    "access.role_may_not_read": _("role may not read %(scope)s"),
    "access.api_client_may_not_change": _("this API client may not change %(scope)s"),
    "access.customers_may_not_change": _("customers may not change %(scope)s"),
    "access.inactive_account": _("inactive account"),
}
