from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from linli.uploads.models import Upload


@receiver(post_delete, sender=Upload, dispatch_uid="uploads_delete_stored_file")
def delete_stored_file(sender, instance: Upload, **kwargs):
    """A deleted row takes its file along — once the deletion is committed, never before."""
    if not instance.file.name:
        return
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))
