from django.apps import AppConfig

from waarborg.core import declarations
from waarborg.core.datamap import APPLICATION_4W


class CareersConfig(AppConfig):
    name = "waarborg.careers"
    label = "careers"

    def ready(self) -> None:
        # A consent to keep an application longer extends its term: it goes 1 year after the
        # consent, or 4 weeks after the procedure, whichever is later (the rule's own text).
        declarations.retention_extension(APPLICATION_4W.key, key="user.consent.date", years=1)
