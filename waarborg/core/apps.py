from importlib import import_module

from django.apps import AppConfig, apps

from waarborg.core import checks  # noqa: F401  (registers the system checks)


class CoreConfig(AppConfig):
    name = "waarborg.core"
    label = "core"
    verbose_name = "Waarborg core"

    def ready(self):
        # Collect every app's personal_data.py into the map, as the admin collects admin.py.
        for config in apps.get_app_configs():
            for module in ("personal_data", "jobs"):
                try:
                    import_module(f"{config.name}.{module}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.{module}":
                        raise
        import_module("waarborg.core.personal_data")
