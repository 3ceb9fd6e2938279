from django.db.models import QuerySet

from linli.accounts.models import User
from linli.uploads.models import Upload


def uploads_of(user: User) -> QuerySet[Upload]:
    """A user's own uploads; nobody else's are visible through the API (404, not 403)."""
    if not user.is_authenticated:
        return Upload.objects.none()
    return Upload.objects.filter(owner=user)
