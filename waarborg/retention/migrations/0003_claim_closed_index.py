"""An index on the day a dunning case closed: the records of a claim (contests, case files, the
decisions on them) count their 5 years from it, so the sweep's range on it stays an index range.
Like 0002, plain SQL here because the table belongs to another app."""

from django.db import migrations

INDEXES = [
    ("wb_ret_dunning_case_closed", "dunning_case", "closed_on"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_anchor_date_indexes"),
        ("dunning", "0003_case_file_sent"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
            reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
        )
        for name, table, column in INDEXES
    ]
