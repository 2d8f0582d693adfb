from django.apps import AppConfig


class ErasureConfig(AppConfig):
    """Erasure (G3, R2, M2): plans from the personal-data map, atomic execution, proof, replay."""

    name = "waarborg.erasure"
    label = "erasure"
    verbose_name = "Erasure"

    def ready(self):
        # Loaded once the models are: system checks and hold rules; the steps other apps take once
        # a case is finished (a privacy request answered, the end of a contract confirmed).
        from waarborg.customers import termination  # noqa: F401
        from waarborg.erasure import checks, holds  # noqa: F401
        from waarborg.privacy import erasure_answer  # noqa: F401
