"""The newsletter: the unsubscribe link and what a mailing may hold."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "engagement.unsubscribe_link_invalid": _("not a valid unsubscribe link"),
    "engagement.subject_empty": _("the subject is empty"),
    "engagement.subject_form": _("the subject is one line of at most %(max)s characters"),
    "engagement.body_empty": _("the body is empty"),
    "engagement.body_too_long": _("the body is longer than %(max)s characters"),
}
