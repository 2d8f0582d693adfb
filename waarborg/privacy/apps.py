from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "waarborg.privacy"
    label = "privacy"
    verbose_name = "Privacy requests"

    def ready(self) -> None:
        from waarborg.core.access import register_restricted_subjects
        from waarborg.privacy import erasure_answer  # noqa: F401  (answers a request once its erasure case is finished)
        from waarborg.privacy.restrictions import restricted_subject_ids

        register_restricted_subjects(restricted_subject_ids)
