from django.db import migrations, models


def waiting_tickets_wait_on_the_requester(apps, schema_editor):
    """Before `on` existed every hold was worded as waiting on the requester; keep that meaning."""
    apps.get_model("tickets", "Ticket").objects.filter(status="waiting").update(waiting_on="requester")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0015_closed_metrics_index_covers_sla_paused_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="waiting_on",
            field=models.CharField(
                blank=True,
                choices=[("requester", "The requester"), ("third_party", "A third party (a part, a vendor)")],
                default="",
                max_length=20,
            ),
        ),
        migrations.RunPython(waiting_tickets_wait_on_the_requester, migrations.RunPython.noop),
    ]
