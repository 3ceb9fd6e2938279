"""Migrations regions 0002 / residents 0006: estates, buildings and rooms move to the platform over
the same tables, and households already verified keep pointing at their rooms."""

import pytest
from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Membership
from linli.regions.models import Room
from tests import factories
from tests.residents.factories import make_room
from tests.support.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)


def test_verified_households_keep_their_rooms(to_latest):
    room = make_room(factories.make_community(name="白云社区", code="baiyun"))
    resident = factories.make_resident()
    old = migrate([("regions", "0001_initial"), ("residents", "0005_remove_legacy_photo_urls")])
    OldContentType = old.get_model("contenttypes", "ContentType")
    old_room_type = OldContentType.objects.get(app_label="residents", model="room")
    old.get_model("accounts", "Membership").objects.create(
        user_id=resident.pk,
        role="resident",
        community_id=room.building.estate.community_id,
        scope_type_id=old_room_type.pk,
        scope_id=room.pk,
        position="owner",
    )

    to_latest()

    ContentType.objects.clear_cache()
    membership = Membership.objects.get(user=resident)
    assert membership.scope_type_id == old_room_type.pk  # the same row, renamed
    assert (membership.scope_type.app_label, membership.scope) == ("regions", Room.objects.get(pk=room.pk))
    assert not ContentType.objects.filter(app_label="residents", model__in=["estate", "building", "room"]).exists()
