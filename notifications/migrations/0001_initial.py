"""OutboundEmail moves here from tickets: state only, the table and its rows stay.

The table keeps its name (`tickets_outboundemail`), so no row is copied and a
database migrated before the move keeps every email, sent or owed. The content
type follows the model, so the admin permissions granted on it stay granted.
tickets.0012 then drops the model from the tickets state, after surveys.0005 has
pointed MonthlyReport.email here.
"""

import django.db.models.deletion
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="notifications", model="outboundemail").exists():
        ContentType.objects.filter(app_label="tickets", model="outboundemail").update(app_label="notifications")


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="tickets", model="outboundemail").exists():
        ContentType.objects.filter(app_label="notifications", model="outboundemail").update(app_label="tickets")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tickets", "0011_metrics_covering_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=250)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("failed_permanently", models.BooleanField(default=False)),
                        (
                            "ticket",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="emails",
                                to="tickets.ticket",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tickets_outboundemail",
                        "ordering": ["created_at"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("sent_at__isnull", True)), fields=["created_at"], name="outbox_unsent"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
