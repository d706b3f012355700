from django.db import migrations

# The district's published targets (issue 4), in business time.
TARGETS = [
    ("critical", 30, "minutes", 4, "hours"),
    ("high", 1, "hours", 8, "hours"),
    ("normal", 4, "hours", 2, "days"),
    ("low", 1, "days", 5, "days"),
]


def seed(apps, schema_editor):
    SlaTarget = apps.get_model("tickets", "SlaTarget")
    for priority, response_value, response_unit, resolution_value, resolution_unit in TARGETS:
        SlaTarget.objects.get_or_create(
            priority=priority,
            defaults={
                "response_value": response_value,
                "response_unit": response_unit,
                "resolution_value": resolution_value,
                "resolution_unit": resolution_unit,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_sla_targets_and_clock")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
