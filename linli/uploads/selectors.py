from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from linli.accounts.models import User
from linli.api.errors import DomainError
from linli.uploads.models import Attachment, Upload

NOT_YOURS = "图片不存在或不属于你"


def uploads_of(user: User) -> QuerySet[Upload]:
    """A user's own uploads; nobody else's are visible through the API (404, not 403)."""
    if not user.is_authenticated:
        return Upload.objects.none()
    return Upload.objects.filter(owner=user)


def own_uploads(owner: User, uploads: Iterable[int | Upload], *, field: str) -> list[Upload]:
    """`uploads` (ids, or rows already read) as rows of `owner`, in the order given, duplicates dropped.

    Anything unknown or uploaded by someone else is one and the same validation error, so nobody
    learns which ids exist. Rows already read are checked without a query.
    """
    given = list(dict.fromkeys(u.pk if isinstance(u, Upload) else u for u in uploads))
    if not given:
        return []
    if not owner.is_authenticated:
        raise DomainError(NOT_YOURS, code="validation_error", fields={field: [NOT_YOURS]})
    rows = {u.pk: u for u in uploads if isinstance(u, Upload)}
    missing = [pk for pk in given if pk not in rows]
    if missing:
        rows |= {u.pk: u for u in Upload.objects.filter(owner=owner, pk__in=missing)}
    if any(pk not in rows or rows[pk].owner_id != owner.pk for pk in given):
        raise DomainError(NOT_YOURS, code="validation_error", fields={field: [NOT_YOURS]})
    return [rows[pk] for pk in given]


def attachments(lookup: str, through: type[Attachment]) -> Prefetch:
    """Prefetch an ordered photo field's links with their uploads: one query for a whole page."""
    return Prefetch(lookup, queryset=through.objects.select_related("upload").order_by("position", "id"))


def own_upload_for_url(owner: User, url: str) -> Upload | None:
    """The upload of `owner` whose URL `url` is (as the API gave it out, signed or not), else None."""
    from linli.uploads.legacy import uploads_for_urls

    if not owner.is_authenticated:
        return None
    upload_id = uploads_for_urls(Upload, [url]).get(url)
    if upload_id is None:
        return None
    return Upload.objects.filter(owner=owner, pk=upload_id).first()
