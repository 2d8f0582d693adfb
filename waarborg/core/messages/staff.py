"""Staff accounts: roles, deactivation, the second factor."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "staff.unknown": _("there is no staff account with this e-mail address"),
    "staff.role_unknown": _("the role must be one of %(roles)s"),
    "staff.last_admin": _("this is the last active administrator: make another administrator first"),
    "staff.inactive_already": _("this staff account is deactivated already"),
    "staff.not_yourself": _("you cannot deactivate your own account; ask another administrator"),
    "staff.no_second_factor": _("this staff account has no authenticator to reset"),
}
