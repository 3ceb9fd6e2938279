"""Real concurrency on PostgreSQL: bill runs started together issue each bill once."""

from datetime import date

import pytest

from property.models import Bill, FeeItem, ParkingPermit
from property.services.fees import bill_run
from tests import factories
from tests.property import factories as pf
from tests.support.race import errors, race, race_n

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


def test_two_payments_of_the_same_bills_at_once_leave_one_open_payment():
    from linli.payments.models import PaymentIntent
    from property.services.bills import BillInPayment, bills_pay

    estate = pf.make_estate(factories.make_community())
    room = pf.make_room(estate)
    owner, spouse = pf.make_household(room), pf.make_household(room)
    bills = pf.make_bills(room, n=2)
    ids = [b.pk for b in bills]

    results = race([lambda: bills_pay(user=owner, bill_ids=ids), lambda: bills_pay(user=spouse, bill_ids=ids)])

    # Either the second waits for the first and finds the bills in payment (409), or it starts after
    # the first committed and supersedes it (closes it): never two open payments of one bill.
    assert all(isinstance(e, BillInPayment) for e in errors(results))
    (open_intent,) = PaymentIntent.objects.filter(status=PaymentIntent.Status.CREATED)
    assert set(Bill.objects.values_list("intent", flat=True)) == {open_intent.pk}
