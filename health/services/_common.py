from collections.abc import Iterable

from linli.api.errors import DomainError
from linli.uploads.models import Upload


def own_uploads(owner, upload_ids: Iterable[int], *, field: str) -> list[Upload]:
    """The uploads among `upload_ids` that belong to `owner`; anyone else's is a validation error."""
    ids = list(dict.fromkeys(upload_ids))
    if not ids:
        return []
    uploads = list(Upload.objects.filter(owner=owner, pk__in=ids))
    if len(uploads) != len(ids):
        raise DomainError("图片不存在或不属于你", code="validation_error", fields={field: ["图片不存在或不属于你"]})
    return uploads
