from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0008_report_and_finding_photos_to_uploads'),
    ]

    operations = [
        migrations.RemoveField(model_name='finding', name='legacy_photos'),
        migrations.RemoveField(model_name='problemreport', name='legacy_photos'),
    ]
