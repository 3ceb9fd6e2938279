"""Migrations regions 0002 / residents 0006: estates, buildings and rooms move to the platform over the
same tables; the content types move with them, so households already verified keep their rooms.

The move's state operations are checked by `makemigrations --check` (CI step 6); this tests the data
step, on the real registry (migrating the whole project back to residents 0005 and forward costs a
minute of the suite)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Membership
from linli.regions.models import Room
from tests import factories
from tests.residents.factories import make_room

pytestmark = pytest.mark.django_db

move = importlib.import_module("linli.regions.migrations.0002_move_places_from_residents")


def test_verified_households_keep_their_rooms():
    room = make_room(factories.make_community(name="白云社区", code="baiyun"))
    resident = factories.make_resident()
    # The database as it was before the move: the places' content types were the residents app's.
    ContentType.objects.filter(app_label="regions", model__in=move.PLACES).update(app_label="residents")
    ContentType.objects.clear_cache()
    old_room_type = ContentType.objects.get(app_label="residents", model="room")
    Membership.objects.create(
        user=resident,
        role="resident",
        community_id=room.building.estate.community_id,
        scope_type=old_room_type,
        scope_id=room.pk,
        position="owner",
    )

    move.move_content_types(apps, None)

    ContentType.objects.clear_cache()
    membership = Membership.objects.get(user=resident)
    assert membership.scope_type_id == old_room_type.pk  # the same row, renamed
    assert (membership.scope_type.app_label, membership.scope) == ("regions", Room.objects.get(pk=room.pk))
    assert not ContentType.objects.filter(app_label="residents", model__in=move.PLACES).exists()


def test_it_moves_back_on_the_way_down_and_leaves_a_fresh_database_alone():
    move.move_content_types_back(apps, None)
    assert set(ContentType.objects.filter(model__in=move.PLACES).values_list("app_label", flat=True)) == {"residents"}
    move.move_content_types(apps, None)
    move.move_content_types(apps, None)  # nothing left to move
    assert set(ContentType.objects.filter(model__in=move.PLACES).values_list("app_label", flat=True)) == {"regions"}
