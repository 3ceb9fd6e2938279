"""Photos were lists of URLs; they become links to upload records. URLs that are not this
system's uploads are dropped (and counted in the log): see linli/uploads/legacy.py."""

from django.db import migrations

from linli.uploads.legacy import links_to_urls, urls_to_links

FIELDS = {
    'legacy_photos': ('residents.WorkOrderPhoto', 'work_order'),
    'legacy_resolution_photos': ('residents.WorkOrderResolutionPhoto', 'work_order'),
}


def forward(apps, schema_editor):
    urls_to_links(apps, model='residents.WorkOrder', fields=FIELDS)


def backward(apps, schema_editor):
    links_to_urls(apps, model='residents.WorkOrder', fields=FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0003_work_order_photo_links'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
