"""OutboundEmail now lives in notifications (notifications.0001): drop it from the tickets
state only. The table `tickets_outboundemail` and its rows belong to the new model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
        ("surveys", "0005_monthly_report_email_in_notifications"),
        ("tickets", "0011_metrics_covering_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboundEmail")],
            database_operations=[],
        ),
    ]
