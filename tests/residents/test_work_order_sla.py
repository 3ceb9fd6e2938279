"""SLA per category: overdue flags, the once-only escalation, auto-close, and the statistics."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from linli.notifications.models import Notification
from residents import services, tasks
from residents.models import WorkOrder, WorkOrderHistory
from tests.residents import factories as rf

QUEUE = "/api/v1/staff/work-orders/"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def overdue_flags(client) -> dict[int, bool]:
    return {row["id"]: row["is_overdue"] for row in client.get(QUEUE).json()["results"]}


def test_it_flags_orders_past_their_response_or_resolution_time(as_user, owner, room, handler):
    category = rf.make_category(response_hours=2, resolution_hours=24)
    with time_machine.travel(T0, tick=False) as clock:
        waiting = rf.make_work_order(owner, room=room, category=category)
        taken = rf.make_work_order(owner, room=room, category=category, upto="in_progress", handler=handler)
        done = rf.make_work_order(owner, room=room, category=category, upto="resolved", handler=handler)

        clock.shift(timedelta(hours=1))
        assert overdue_flags(as_user(handler)) == {waiting.pk: False, taken.pk: False, done.pk: False}

        clock.shift(timedelta(hours=2))  # past the response time: only the unassigned one
        assert overdue_flags(as_user(handler)) == {waiting.pk: True, taken.pk: False, done.pk: False}

        clock.shift(timedelta(days=1))  # past the resolution time: every open one, not the resolved one
        client = as_user(handler)
        assert overdue_flags(client) == {waiting.pk: True, taken.pk: True, done.pk: False}
        assert {r["id"] for r in client.get(QUEUE, {"overdue": "true"}).json()["results"]} == {waiting.pk, taken.pk}
        assert {r["id"] for r in client.get(QUEUE, {"overdue": "false"}).json()["results"]} == {done.pk}


def test_it_escalates_each_overdue_order_once_to_the_community_staff(owner, room, handler, staff, other_staff):
    category = rf.make_category(response_hours=1, resolution_hours=4)
    with time_machine.travel(T0, tick=False) as clock:
        late = rf.make_work_order(owner, room=room, category=category)
        on_time = rf.make_work_order(owner, room=room, category=rf.make_category(response_hours=8, resolution_hours=48))

        clock.shift(timedelta(hours=2))
        assert tasks.escalate_overdue() == 1
        assert tasks.escalate_overdue() == 0
        clock.shift(timedelta(hours=5))  # also past its resolution time now: still only once
        assert tasks.escalate_overdue() == 0

    escalations = Notification.objects.filter(kind="work_order.escalate")
    assert list(escalations.values_list("recipient_id", "data__work_order")) == [(staff.pk, late.pk)]
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.escalated_at == T0 + timedelta(hours=2)
    assert on_time.escalated_at is None
    assert late.history.filter(action=WorkOrderHistory.Action.ESCALATE, actor=None).count() == 1


def test_a_stale_escalation_changes_nothing_once_the_order_moved_on(owner, room, handler):
    category = rf.make_category(response_hours=1, resolution_hours=4)
    with time_machine.travel(T0, tick=False) as clock:
        order = rf.make_work_order(owner, room=room, category=category)
        clock.shift(timedelta(hours=2))
        services.work_order_assign(work_order=order, actor=handler, assignee=handler)
        # The beat job had read the id before the assignment: under the lock it re-checks and skips.
        assert services.work_order_escalate(work_order_id=order.pk) is False


def test_auto_close_leaves_orders_the_resident_already_answered(owner, room, category, handler):
    with time_machine.travel(T0, tick=False) as clock:
        order = rf.make_work_order(owner, room=room, category=category, upto="resolved", handler=handler)
        services.work_order_confirm(work_order=order, actor=owner, rating=2)
        clock.shift(timedelta(days=8))
        assert tasks.auto_close_resolved() == 0
        assert services.work_order_auto_close(work_order_id=order.pk) is False
    order.refresh_from_db()
    assert (order.auto_closed, order.rating) == (False, 2)


def test_the_beat_jobs_are_registered():
    from linli.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["residents.auto_close_resolved"]["task"] == "residents.tasks.auto_close_resolved"
    assert schedule["residents.escalate_overdue"]["task"] == "residents.tasks.escalate_overdue"


def test_it_counts_the_stats_per_community(as_user, community, other_community, owner, room, handler, staff):
    category = rf.make_category(response_hours=2, resolution_hours=10)
    with time_machine.travel(T0, tick=False) as clock:
        # Responded after 1 h, resolved after 4 h (on time), rated 5.
        a = rf.make_work_order(owner, room=room, category=category)
        clock.shift(timedelta(hours=1))
        services.work_order_assign(work_order=a, actor=handler, assignee=handler)
        services.work_order_start(work_order=a, actor=handler)
        # Responded after 3 h, resolved after 12 h (late), rated 3.
        b = rf.make_work_order(owner, room=room, category=category, kind=WorkOrder.Kind.COMPLAINT)
        clock.shift(timedelta(hours=3))
        services.work_order_resolve(work_order=a, actor=handler, note="ok")
        services.work_order_confirm(work_order=a, actor=owner, rating=5)
        services.work_order_assign(work_order=b, actor=handler, assignee=handler)
        services.work_order_start(work_order=b, actor=handler)
        clock.shift(timedelta(hours=9))
        services.work_order_resolve(work_order=b, actor=handler, note="ok")
        services.work_order_confirm(work_order=b, actor=owner, rating=3)
        # Still waiting, and one in the other community (not visible to this staff member).
        rf.make_work_order(owner, room=room, category=category, kind=WorkOrder.Kind.SUGGESTION)
        resident_there, room_there = rf.make_verified_resident(other_community)
        rf.make_work_order(resident_there, room=room_there, category=category)

        response = as_user(staff).get(f"{QUEUE}stats/", {"from": "2026-11-01", "to": "2026-11-02"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-02")
    [stats] = body["communities"]
    assert stats["community"] == {"id": community.pk, "name": community.name}
    assert stats["total"] == 3
    assert stats["by_status"] == {
        "submitted": 1,
        "assigned": 0,
        "in_progress": 0,
        "resolved": 0,
        "closed": 2,
        "cancelled": 0,
    }
    assert stats["by_kind"] == {"repair": 1, "complaint": 1, "suggestion": 1}
    assert stats["median_response_minutes"] == 120.0  # median of 60 and 180
    assert stats["median_resolution_minutes"] == 480.0  # median of 240 and 720 (b: filed at 1 h, resolved at 13 h)
    assert stats["on_time_rate"] == 0.5
    assert stats["average_rating"] == 4.0
    assert stats["rated"] == 2


def test_the_stats_window_excludes_other_days_and_rejects_a_reversed_range(as_user, owner, room, category, staff):
    with time_machine.travel(T0, tick=False):
        rf.make_work_order(owner, room=room, category=category)
    client = as_user(staff)
    [stats] = client.get(f"{QUEUE}stats/", {"from": "2026-11-03", "to": "2026-11-30"}).json()["communities"]
    assert stats["total"] == 0
    assert stats["median_response_minutes"] is None and stats["on_time_rate"] is None
    response = client.get(f"{QUEUE}stats/", {"from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["from"]


def test_the_stats_refuse_dates_outside_the_years_the_app_knows(as_user, staff):
    for params in ({"from": "0001-01-01"}, {"to": "9999-12-31"}):
        response = as_user(staff).get(f"{QUEUE}stats/", params)
        assert response.status_code == 400, params
