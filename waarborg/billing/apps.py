from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "waarborg.billing"
    label = "billing"

    def ready(self) -> None:
        # Loaded once the models are: an unpaid or disputed invoice holds an erasure back (waarborg.erasure.holds).
        from waarborg.billing import holds  # noqa: F401
