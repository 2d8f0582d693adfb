from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "waarborg.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        # Loaded once the models are: a service that still runs holds an erasure back (waarborg.erasure.holds).
        from waarborg.catalogue import holds  # noqa: F401
