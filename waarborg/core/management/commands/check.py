"""Django's `check`, with the reminders meant for whoever runs it (core.checks.explicit_checks):
the warning that the lists of decreed days run out is shown here, not before every command."""

from django.core.management.commands.check import Command as DjangoCheck

from waarborg.core.checks import explicit_checks


class Command(DjangoCheck):
    def handle(self, *app_labels, **options):
        with explicit_checks():
            return super().handle(*app_labels, **options)
