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


def record_start(obj, action: str, *, actor=None, note: str = ""):
    """The first history row of `obj`: from nothing to the status it was created in.

    (`linli.workflow.record_step` would write the current status as `from_status`; a first entry
    has none.)"""
    history = type(obj).workflow.history_model
    return history.objects.create(
        **{history.subject_field: obj}, action=action, from_status="", to_status=obj.status, actor=actor, note=note
    )
