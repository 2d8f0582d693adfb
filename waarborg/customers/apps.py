from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "waarborg.customers"
    label = "customers"

    def ready(self) -> None:
        # Loaded once the models are: the confirmation of a contract's end registers itself as a
        # step to take when an erasure case is finished (waarborg.erasure.completion), and the
        # customer's status as what an erasure's end of the relationship changes (execution).
        from waarborg.customers import termination  # noqa: F401
