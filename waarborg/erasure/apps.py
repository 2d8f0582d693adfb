from django.apps import AppConfig


class ErasureConfig(AppConfig):
    """Erasure (G3, R2, M2): plans from the personal-data map, atomic execution, proof, replay."""

    name = "waarborg.erasure"
    label = "erasure"
    verbose_name = "Erasure"

    def ready(self):
        # Loaded once the models are: the system checks register themselves. The hold rules are
        # declared by the apps that own the data they rest on (billing, catalogue).
        from waarborg.erasure import checks  # noqa: F401
