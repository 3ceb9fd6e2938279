"""Announcements: staff publish within a window, residents mark them read."""

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import field_error as _field_error
from linli.regions.models import Community
from residents.models import Announcement, AnnouncementRead
from residents.services._common import is_community_staff


def _check_window(publish_at, expires_at) -> None:
    if expires_at is not None and publish_at is not None and expires_at <= publish_at:
        raise _field_error("expires_at", "过期时间须晚于发布时间")


@transaction.atomic
def announcement_create(
    *, author: User, community: Community, title: str, body: str, pinned=False, publish_at=None, expires_at=None
) -> Announcement:
    if not (author.is_superuser or is_community_staff(author, community.pk)):
        raise _field_error("community", "只能在本社区发布公告")
    publish_at = publish_at or timezone.now()
    _check_window(publish_at, expires_at)
    return Announcement.objects.create(
        community=community,
        title=title,
        body=body,
        pinned=pinned,
        publish_at=publish_at,
        expires_at=expires_at,
        created_by=author,
    )


@transaction.atomic
def announcement_update(*, announcement: Announcement, **changes) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    for field, value in changes.items():
        setattr(announcement, field, value)
    _check_window(announcement.publish_at, announcement.expires_at)
    announcement.save()
    return announcement


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    announcement.delete()


@transaction.atomic
def announcement_mark_read(*, announcement: Announcement, user: User) -> None:
    AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
