"""Real concurrency on PostgreSQL: one plate, registered at once by two households, is taken once."""

import pytest

from property.models import Vehicle
from property.services.vehicles import PlateTaken, vehicle_register
from tests import factories
from tests.property import factories as pf
from tests.support.race import errors, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_registrations_of_one_plate_in_a_community_keep_one():
    estate = pf.make_estate(factories.make_community())
    households = []
    for _ in range(4):
        room = pf.make_room(estate)
        households.append((pf.make_household(room), room))

    results = race([lambda u=u, r=r: vehicle_register(user=u, room=r, plate="浙H12345") for u, r in households])

    refused = errors(results)
    assert len(refused) == 3 and all(isinstance(e, PlateTaken) for e in refused)
    assert Vehicle.objects.filter(plate="浙H12345").count() == 1
