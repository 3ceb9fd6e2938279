from django.db import migrations

# The defaults as of this migration, so that the console lists every limit ready to edit. The code
# (linli/limits/models.py RULES) keeps its own defaults for a database without these rows.
DEFAULTS = {"upcoming_appointments": 3, "pending_verifications": 2, "weekly_venue_bookings": 3}


def create_rows(apps, schema_editor):
    FairUseLimit = apps.get_model("limits", "FairUseLimit")
    for key, value in DEFAULTS.items():
        FairUseLimit.objects.get_or_create(key=key, defaults={"value": value})


class Migration(migrations.Migration):

    dependencies = [
        ('limits', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(create_rows, migrations.RunPython.noop),
    ]
