"""Real concurrency on PostgreSQL: bill runs started together issue each bill once."""

from datetime import date

import pytest

from property.models import Bill, FeeItem, ParkingPermit
from property.services.fees import bill_run
from tests import factories
from tests.property import factories as pf
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_bill_runs_issue_each_bill_once():
    estate = pf.make_estate(factories.make_community())
    rooms = [pf.make_room(estate) for _ in range(20)]
    pf.make_fee_item(estate)
    pf.make_fee_item(estate, name="垃圾清运费", kind=FeeItem.Kind.OTHER, rate_fen=1500)
    parking = pf.make_fee_item(estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000)
    owner = pf.make_household(rooms[0])
    pf.make_vehicle(rooms[0], owner)

    results = race_n(4, lambda i: bill_run(period=date(2026, 11, 1)))

    assert errors(results) == []
    assert Bill.objects.filter(vehicle=None).count() == 40
    assert Bill.objects.filter(item=parking).count() == 1
    assert ParkingPermit.objects.count() == 1
