from django.apps import AppConfig

from waarborg.core import declarations
from waarborg.core.access import register_restricted_subjects
from waarborg.privacy import storage


class PrivacyConfig(AppConfig):
    name = "waarborg.privacy"
    label = "privacy"
    verbose_name = "Privacy requests"

    def ready(self) -> None:
        from waarborg.accounts.staff import on_deactivation  # imports models: only once they are loaded

        # Loaded once the models are: the answer to a request whose erasure case is finished registers itself.
        from waarborg.privacy import erasure_answer  # noqa: F401
        from waarborg.privacy.handover import requests_hand_back  # imports models: only once they are loaded
        from waarborg.privacy.restrictions import restricted_subject_ids  # imports models: only once they are loaded

        register_restricted_subjects(restricted_subject_ids)
        on_deactivation("privacy_requests", requests_hand_back)
        # An ID copy is a stored file named by a text column: it goes with its row (erasure, sweep).
        from waarborg.privacy.models import IdDocument  # imports models: only once they are loaded

        declarations.stored_files(IdDocument._meta.label, "stored_name", directory=storage.DIRECTORY)
        # The packages made for a subject's requests are derived copies an erasure removes.
        from waarborg.privacy import erasure_copies  # noqa: F401
