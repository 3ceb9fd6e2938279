"""The whole closed loop through the API: file → assign → start → resolve → reopen → … → auto-close
after 7 days with the clock moved, then the follow-up visit; and the confirm-and-rate ending."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from linli.notifications.models import Notification
from residents import tasks
from residents.models import WorkOrder
from tests import factories

MINE, QUEUE = "/api/v1/residents/work-orders/", "/api/v1/staff/work-orders/"
START = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_it_runs_the_whole_loop_with_a_reopen_and_an_auto_close(
    as_user, owner, room, category, manager, handler, staff
):
    leak = factories.make_upload(owner)
    before, after = factories.make_upload(handler), factories.make_upload(handler)
    with time_machine.travel(START, tick=False) as clock:
        # The resident files a repair for their own room.
        response = as_user(owner).post(
            MINE,
            {
                "kind": "repair",
                "category": category.pk,
                "description": "卫生间水管漏水",
                "room": room.pk,
                "photos": [leak.pk],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        order = response.json()
        pk = order["id"]
        assert order["status"] == "submitted"
        assert order["room"]["name"] == str(room)
        assert order["resolution_due_at"] == "2026-11-03T09:00:00+08:00"
        assert "work_order.submit" in kinds_for(manager)

        # The property manager dispatches it to the handler 30 minutes later.
        clock.shift(timedelta(minutes=30))
        response = as_user(manager).post(f"{QUEUE}{pk}/assign/", {"assignee": handler.pk}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["assignee"]["id"] == handler.pk
        assert "work_order.assign" in kinds_for(owner)
        assert "work_order.assign" in kinds_for(handler)

        clock.shift(timedelta(hours=1))
        assert as_user(handler).post(f"{QUEUE}{pk}/start/", {"note": "马上到"}, format="json").status_code == 200
        clock.shift(timedelta(hours=2))
        response = as_user(handler).post(
            f"{QUEUE}{pk}/resolve/",
            {
                "note": "更换了三通接头",
                "photos": [before.pk, after.pk],
            },
            format="json",
        )
        assert response.json()["status"] == "resolved"
        assert "work_order.resolve" in kinds_for(owner)

        # Still dripping: the resident sends it back to the same handler.
        clock.shift(timedelta(hours=5))
        response = as_user(owner).post(f"{MINE}{pk}/reopen/", {"reason": "还在滴水"}, format="json")
        assert response.status_code == 200, response.json()
        assert (response.json()["status"], response.json()["assignee"]["id"]) == ("assigned", handler.pk)
        assert response.json()["reopen_count"] == 1
        assert "work_order.reopen" in kinds_for(handler)

        clock.shift(timedelta(hours=1))
        as_user(handler).post(f"{QUEUE}{pk}/start/", {}, format="json")
        clock.shift(timedelta(hours=1))
        as_user(handler).post(f"{QUEUE}{pk}/resolve/", {"note": "换了整根水管"}, format="json")

        # Six days later nothing closes yet; after seven the beat job closes it, not rated.
        clock.shift(timedelta(days=6, hours=23))
        assert tasks.auto_close_resolved() == 0
        clock.shift(timedelta(hours=1))
        assert tasks.auto_close_resolved() == 1
        assert tasks.auto_close_resolved() == 0  # idempotent

        detail = as_user(owner).get(f"{MINE}{pk}/").json()
        assert detail["status"] == "closed"
        assert detail["auto_closed"] is True
        assert detail["rating"] is None
        assert "work_order.auto_close" in kinds_for(owner)
        assert "work_order.auto_close" in kinds_for(handler)

        timeline = detail["timeline"]
        assert [step["action"] for step in timeline] == [
            "submit",
            "assign",
            "start",
            "resolve",
            "reopen",
            "start",
            "resolve",
            "auto_close",
        ]
        assert [step["duration_seconds"] for step in timeline] == [0, 1800, 3600, 7200, 18000, 3600, 3600, 7 * 86400]
        assert [step["actor"] and step["actor"]["id"] for step in timeline] == [
            owner.pk,
            manager.pk,
            handler.pk,
            handler.pk,
            owner.pk,
            handler.pk,
            handler.pk,
            None,
        ]
        assert timeline[4]["note"] == "还在滴水"
        assert timeline[1]["created_at"] == "2026-11-02T09:30:00+08:00"

        # The community staff call back (回访) and record it.
        response = as_user(staff).post(f"{QUEUE}{pk}/follow-up/", {"note": "居民表示已不再漏水"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["follow_up_note"] == "居民表示已不再漏水"
        assert response.json()["timeline"][-1]["action"] == "follow_up"

        # Nothing else can happen to a closed order.
        assert as_user(owner).post(f"{MINE}{pk}/reopen/", {"reason": "x"}, format="json").status_code == 409


def test_it_closes_with_a_rating_when_the_resident_confirms(as_user, owner, room, category, handler):
    from tests.residents.factories import make_work_order

    order = make_work_order(owner, room=room, category=category, upto="resolved", handler=handler)
    response = as_user(owner).post(f"{MINE}{order.pk}/confirm/", {"rating": 5, "comment": "很满意"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["rating"], body["rating_comment"], body["auto_closed"]) == (
        "closed",
        5,
        "很满意",
        False,
    )
    assert "work_order.confirm" in kinds_for(handler)
    order.refresh_from_db()
    assert order.closed_at is not None
    assert order.status == WorkOrder.Status.CLOSED
