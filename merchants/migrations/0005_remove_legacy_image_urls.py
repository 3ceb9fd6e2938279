from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('merchants', '0004_product_images_to_uploads'),
    ]

    operations = [
        migrations.RemoveField(model_name='product', name='legacy_images'),
    ]
