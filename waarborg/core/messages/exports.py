"""The access package (art. 15) and its completeness check."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "exports.language": _("the language is nl or en"),
    "exports.model_not_in_map": _("%(model)s is not in the personal-data map"),
    "exports.incomplete": _(
        "the access package is incomplete: category %(category)s has no art. 15(1)(%(letter)s) information (%(what)s)"
    ),
}

# What each letter of art. 15(1) is about, for `exports.incomplete` (put into words with
# messages.words.InWords).
ART15_WHAT = {
    "a": _("purposes"),
    "b": _("categories of data"),
    "c": _("recipients"),
    "d": _("retention period"),
    "e": _("rights"),
    "f": _("right to complain"),
    "g": _("source"),
    "h": _("automated decision-making"),
}
