"""Product images were lists of URLs; they become links to upload records. URLs that are not this
system's uploads are dropped (and counted in the log): see linli/uploads/legacy.py."""

from django.db import migrations

from linli.uploads.legacy import links_to_urls, urls_to_links

FIELDS = {'legacy_images': ('merchants.ProductImage', 'product')}


def forward(apps, schema_editor):
    urls_to_links(apps, model='merchants.Product', fields=FIELDS)


def backward(apps, schema_editor):
    links_to_urls(apps, model='merchants.Product', fields=FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ('merchants', '0003_product_image_links'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
