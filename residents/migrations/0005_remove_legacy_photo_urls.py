from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0004_work_order_photos_to_uploads'),
    ]

    operations = [
        migrations.RemoveField(model_name='workorder', name='legacy_photos'),
        migrations.RemoveField(model_name='workorder', name='legacy_resolution_photos'),
    ]
