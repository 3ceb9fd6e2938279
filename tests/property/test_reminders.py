"""Arrears reminders: each household with overdue bills hears once per bill per month, however often
the beat job runs."""

from datetime import date

import pytest

from linli.notifications.models import Notification
from property.models import ArrearsReminder
from property.services import bills as services
from tests.property import factories as pf

pytestmark = pytest.mark.django_db
DEC = date(2026, 12, 6)  # November's bills were due on 1 December


def test_each_member_of_a_household_with_overdue_bills_is_reminded_once_a_month(
    room, owner, django_capture_on_commit_callbacks
):
    spouse = pf.make_household(room)
    pf.make_bills(room, n=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.bills_remind_arrears(today=DEC) == 1
        assert services.bills_remind_arrears(today=DEC) == 0
        assert services.bills_remind_arrears(today=date(2026, 12, 28)) == 0

    reminders = Notification.objects.filter(kind="property.arrears")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([owner.pk, spouse.pk])
    assert "已过缴费期限" in reminders.first().body
    assert ArrearsReminder.objects.count() == 2

    assert services.bills_remind_arrears(today=date(2027, 1, 3)) == 1  # a new month: a new round
    assert reminders.count() == 4


def test_bills_not_yet_due_or_paid_are_not_reminded(room, owner, manager):
    bills = pf.make_bills(room, n=2)
    services.bills_record_offline(bills=bills[:1], actor=manager, method="cash", payer_name="x")

    assert services.bills_remind_arrears(today=date(2026, 11, 20)) == 0
    assert services.bills_remind_arrears(today=DEC) == 1
    assert list(ArrearsReminder.objects.values_list("bill_id", flat=True)) == [bills[1].pk]


def test_a_bill_overdue_later_in_the_month_gets_its_own_reminder(room, owner):
    first = pf.make_bills(room)[0]
    services.bills_remind_arrears(today=DEC)
    later = pf.make_bills(room, period=date(2026, 10, 15))[0]  # issued late, already overdue

    assert services.bills_remind_arrears(today=DEC) == 1
    assert set(ArrearsReminder.objects.values_list("bill_id", flat=True)) == {first.pk, later.pk}
    assert Notification.objects.filter(kind="property.arrears", recipient=owner).count() == 2
