"""The subject finder (`waarborg.subjects`): what a search needs."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "subjects.identifier_missing": _("give an identifier: e-mail, phone, customer number, IP, or name with postcode"),
    "subjects.name_without_postcode": _("a name is only searched together with a postcode"),
}
