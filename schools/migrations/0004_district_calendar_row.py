from django.db import migrations


def create_row(apps, schema_editor):
    # The district has exactly one calendar; the API and pages edit this row.
    apps.get_model("schools", "DistrictCalendar").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_calendar_closures_feeds")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
