from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "waarborg.operations"
    label = "operations"
    verbose_name = "Operations: the record of daily runs and audit-chain checks"
