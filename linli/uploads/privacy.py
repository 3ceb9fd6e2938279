"""Uploads are personal data (photos of a home, a face, a prescription): exported as links, deleted on erasure."""

from django.utils import timezone

from linli.uploads.models import Upload


def export(user) -> dict:
    return {
        "files": [
            {
                "id": upload.pk,
                "purpose": upload.purpose,
                "url": upload.file.url,
                "content_type": upload.content_type,
                "size": upload.size,
                "width": upload.width,
                "height": upload.height,
                "created_at": timezone.localtime(upload.created_at).isoformat(),
            }
            for upload in Upload.objects.filter(owner=user).order_by("created_at", "id")
        ]
    }


def anonymise(user) -> None:
    # Rows go (objects of other apps that attached them follow their own on_delete); the
    # post_delete signal removes each stored file once the erasure has committed.
    Upload.objects.filter(owner=user).delete()
