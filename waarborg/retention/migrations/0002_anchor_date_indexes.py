"""Indexes on retention anchor dates that other apps' models lack, so that the sweep's
"anchor date on or before X" is an index range whose cost follows what is due.

They live here, as plain SQL, because the tables belong to other apps (and to Django's admin);
the retention tests check that each of them exists.
"""

from django.db import migrations

INDEXES = [
    ("wb_ret_account_deactivated", "accounts_account", "deactivated_at"),
    ("wb_ret_logentry_action_time", "django_admin_log", "action_time"),
    ("wb_ret_application_closed", "careers_jobapplication", "procedure_closed_at"),
    ("wb_ret_consent_withdrawn", "consents_consentrecord", "withdrawn_at"),
    ("wb_ret_ticket_closed", "correspondence_ticket", "closed_at"),
    ("wb_ret_complaint_closed", "correspondence_complaint", "closed_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0003_account_deactivated_at"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("careers", "0001_initial"),
        ("consents", "0001_initial"),
        ("correspondence", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
            reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
        )
        for name, table, column in INDEXES
    ]
