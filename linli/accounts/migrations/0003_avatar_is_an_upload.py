"""The avatar becomes a reference to one of the user's own uploads instead of any URL.

An `avatar_url` that is the URL of an upload of that same user becomes the reference; any other URL
is dropped and counted: an address anywhere else is exactly what an avatar may no longer be.
"""

import logging

import django.db.models.deletion
from django.db import migrations, models

logger = logging.getLogger("linli.accounts.migrations")


def urls_to_uploads(apps, schema_editor):
    from linli.uploads.legacy import uploads_for_urls

    User = apps.get_model("accounts", "User")
    Upload = apps.get_model("uploads", "Upload")
    rows = list(User.objects.exclude(avatar_url="").values_list("pk", "avatar_url"))
    known = uploads_for_urls(Upload, (url for _, url in rows))
    owners = dict(Upload.objects.filter(pk__in=set(known.values())).values_list("pk", "owner_id"))
    dropped = 0
    for pk, url in rows:
        upload_id = known.get(url)
        if upload_id is not None and owners.get(upload_id) == pk:
            User.objects.filter(pk=pk).update(avatar_id=upload_id)
        else:
            dropped += 1
    if dropped:
        logger.warning("accounts.User.avatar_url: dropped %d avatar URL(s) that were not the user's own uploads", dropped)


def uploads_to_urls(apps, schema_editor):
    from django.core.files.storage import default_storage

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(avatar=None).select_related("avatar"):
        User.objects.filter(pk=user.pk).update(avatar_url=default_storage.url(user.avatar.file.name))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_token_version_and_revoked_families"),
        ("uploads", "0002_product_purpose"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="avatar",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="uploads.upload",
                verbose_name="头像",
            ),
        ),
        migrations.RunPython(urls_to_uploads, uploads_to_urls, elidable=True),
        migrations.RemoveField(model_name="user", name="avatar_url"),
    ]
