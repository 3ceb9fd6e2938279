"""Collection stats: the staff API and the console widget read one selector and show equal numbers."""

from datetime import date

import pytest

from linli.console.registry import Scope
from property import dashboard
from property.services import bills as services
from tests.property import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(estate, manager):
    """Four rooms billed 18000 each in Nov: two paid (one then refunded 5000), one waived, one unpaid."""
    rooms = [pf.make_room(estate, area="100.00") for _ in range(4)]
    pf.make_bills(rooms[0])
    bills = [room.bills.get() for room in rooms]
    services.bills_record_offline(bills=bills[:1], actor=manager, method="cash", payer_name="a")
    services.bills_record_offline(bills=bills[1:2], actor=manager, method="cash", payer_name="b")
    services.bill_refund(bill=bills[1], actor=manager, amount_fen=5000, reason="多收")
    services.bill_waive(bill=bills[2], actor=manager, reason="困难户")
    return bills


def test_the_api_reports_billed_collected_and_rate_per_estate_and_month(as_user, estate, manager, november):
    body = (
        as_user(manager)
        .get("/api/v1/staff/property/bills/stats/", {"period_from": "2026-11", "period_to": "2026-11"})
        .json()
    )

    assert body["rows"] == [
        {
            "estate": estate.pk,
            "estate_name": estate.name,
            "period": "2026-11",
            "bill_count": 4,
            "billed_fen": 54000,  # the waived bill is not owed
            "collected_fen": 31000,  # 18000 + (18000 - 5000)
            "arrears_fen": 18000,
            "waived_fen": 18000,
            "rate": 0.5741,
        }
    ]
    assert body["totals"]["rate"] == 0.5741


def test_the_console_widget_shows_the_same_numbers_as_the_api(as_user, community, estate, manager, november):
    other = pf.make_estate(community, name="斗潭新村")
    room = pf.make_room(other, area="50.00")
    pf.make_bills(room)
    api = (
        as_user(manager)
        .get("/api/v1/staff/property/bills/stats/", {"period_from": "2026-11", "period_to": "2026-11"})
        .json()
    )

    widget = dashboard.collection.compute(Scope([community.pk], end=date(2026, 11, 30)))

    metrics = {m.key: m.value for m in widget.metrics}
    assert metrics["billed"] == api["totals"]["billed_fen"] / 100
    assert metrics["collected"] == api["totals"]["collected_fen"] / 100
    assert metrics["rate"] == round(api["totals"]["rate"] * 100, 2)
    assert dict(widget.breakdown) == {row["estate_name"]: round(row["rate"] * 100, 2) for row in api["rows"]}


def test_the_arrears_widget_counts_overdue_bills_only(community, estate, november):
    before_due = dashboard.arrears.compute(Scope([community.pk], end=date(2026, 11, 30)))
    after_due = dashboard.arrears.compute(Scope([community.pk], end=date(2026, 12, 6)))

    assert before_due is None
    metrics = {m.key: m.value for m in after_due.metrics}
    assert (metrics["amount"], metrics["rooms"], metrics["bills"]) == (180.0, 1, 1)


def test_widgets_are_left_out_without_bills(other_community):
    assert dashboard.collection.compute(Scope([other_community.pk], end=date(2026, 11, 30))) is None
