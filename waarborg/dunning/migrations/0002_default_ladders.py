"""The default ladders: one for business customers, one for consumers (with the WIK letter)."""

import datetime as dt

from django.db import migrations

# A copy of waarborg.dunning.ladders.DEFAULT_LADDERS as it was when this migration was written:
# later edits of the ladders are new versions, made by the finance role.
WIK_SCALE = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "15"], ["2500.00", "10"], ["5000.00", "5"], ["190000.00", "1"], [None, "0.5"]],
    "minimum": "40.00",
    "maximum": "6775.00",
}
SETTINGS = {"block_scope": "invoice", "block_notice_days": 7, "cancel_silence_days": 14, "cost_vat_rate": "0"}
LADDERS = {
    "business": {
        "market": "b2b",
        "name_nl": "Zakelijke klanten",
        "name_en": "Business customers",
        "steps": [
            {"key": "reminder-1", "kind": "reminder", "day": 7},
            {"key": "reminder-2", "kind": "reminder", "day": 14},
            {"key": "final-notice", "kind": "final_notice", "day": 21},
            {"key": "block", "kind": "block", "day": 28},
            {"key": "bailiff", "kind": "bailiff", "day": 56},
            {"key": "cancel", "kind": "cancel", "day": 84},
        ],
        "settings": {**SETTINGS, "cost_rule": {"kind": "fixed_per_invoice", "amount": "40.00"}},
    },
    "consumer": {
        "market": "b2c",
        "name_nl": "Consumenten",
        "name_en": "Consumers",
        "steps": [
            {"key": "reminder-1", "kind": "reminder", "day": 7},
            {"key": "wik-letter", "kind": "wik_letter", "day": 14},
            {"key": "final-notice", "kind": "final_notice", "day": 35},
            {"key": "block", "kind": "block", "day": 42},
            {"key": "bailiff", "kind": "bailiff", "day": 70},
            {"key": "cancel", "kind": "cancel", "day": 100},
        ],
        "settings": {**SETTINGS, "cost_rule": WIK_SCALE},
    },
}


def create(apps, schema_editor):
    Ladder = apps.get_model("dunning", "Ladder")
    LadderVersion = apps.get_model("dunning", "LadderVersion")
    now = dt.datetime.now(dt.UTC)
    for key, spec in LADDERS.items():
        ladder, _ = Ladder.objects.get_or_create(
            key=key, defaults={"market": spec["market"], "name_nl": spec["name_nl"], "name_en": spec["name_en"]}
        )
        if not LadderVersion.objects.filter(ladder=ladder).exists():
            LadderVersion.objects.create(
                ladder=ladder,
                version=1,
                steps=spec["steps"],
                settings=spec["settings"],
                note="default ladder",
                created_at=now,
            )


def remove(apps, schema_editor):
    apps.get_model("dunning", "LadderVersion").objects.filter(version=1, note="default ladder").delete()
    apps.get_model("dunning", "Ladder").objects.filter(key__in=list(LADDERS), versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dunning", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
