"""The privacy statement's sentence on backups: how long they are kept (WAARBORG_BACKUP_DAYS)."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()

_TEXT = {
    "nl": (
        "Reservekopieën (back-ups) van onze administratie zijn versleuteld en worden hoogstens {days} dagen "
        "bewaard; kopieën van identiteitsbewijzen komen er nooit in. Wie we hebben gewist, wissen we opnieuw "
        "als we ooit een back-up terugzetten."
    ),
    "en": (
        "Backups of our administration are encrypted and kept for at most {days} days; copies of identity "
        "documents never go into them. Anyone we erased is erased again if we ever restore a backup."
    ),
}


@register.simple_tag
def backup_retention() -> str:
    lang = (get_language() or "nl")[:2]
    return _TEXT.get(lang, _TEXT["nl"]).format(days=settings.WAARBORG_BACKUP_DAYS)
