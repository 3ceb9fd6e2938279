"""Filing, transitions, transfers and staff filing on a resident's behalf."""

import pytest

from linli.notifications.models import Notification
from residents.models import WorkOrder, WorkOrderHistory
from tests import factories
from tests.residents import factories as rf

TRANSITIONS = WorkOrder.workflow.transitions
MINE, QUEUE = "/api/v1/residents/work-orders/", "/api/v1/staff/work-orders/"


def file(client, category, **extra):
    body = {"kind": "repair", "category": category.pk, "description": "楼道灯坏了", **extra}
    return client.post(MINE, body, format="json")


def test_it_files_without_a_room_in_the_residents_only_community(as_user, owner, room, category, community):
    # With exactly one verified home, an order filed without a room is for that home.
    response = file(as_user(owner), category, location="5楼楼道")
    assert response.status_code == 201, response.json()
    assert response.json()["community"]["id"] == community.pk
    assert response.json()["room"]["id"] == room.pk


def test_it_refuses_someone_who_is_not_a_verified_resident(as_user, category, community):
    stranger = factories.make_resident()
    response = file(as_user(stranger), category, community=community.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "not_verified_resident"
    assert not WorkOrder.objects.exists()


def test_it_refuses_a_room_that_is_not_the_residents(as_user, owner, category, community):
    _, someone_elses_room = rf.make_verified_resident(community)
    response = file(as_user(owner), category, room=someone_elses_room.pk)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["room"]


def test_it_accepts_at_most_nine_photos(as_user, owner, category):
    photos = [factories.make_upload(owner).pk for _ in range(10)]
    response = file(as_user(owner), category, photos=photos)
    assert response.status_code == 400
    assert "photos" in response.json()["fields"]
    assert file(as_user(owner), category, photos=["not an id"]).status_code == 400
    assert file(as_user(owner), category, photos=photos[:9]).status_code == 201


def test_it_refuses_an_inactive_category(as_user, owner):
    category = rf.make_category(is_active=False)
    response = file(as_user(owner), category)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["category"]


@pytest.mark.parametrize(
    ("upto", "action", "body"),
    [
        ("submitted", "confirm", {"rating": 5}),
        ("submitted", "reopen", {"reason": "x"}),
        ("assigned", "cancel", {}),
        ("in_progress", "confirm", {"rating": 5}),
        ("closed", "cancel", {}),
        ("closed", "confirm", {"rating": 3}),
        ("cancelled", "reopen", {"reason": "x"}),
    ],
)
def test_it_answers_409_to_a_resident_transition_the_table_does_not_allow(
    as_user, owner, room, category, handler, upto, action, body
):
    order = rf.make_work_order(owner, room=room, category=category, upto=upto, handler=handler)
    response = as_user(owner).post(f"{MINE}{order.pk}/{action}/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    order.refresh_from_db()
    assert order.status == upto


@pytest.mark.parametrize(
    ("upto", "action", "body"),
    [
        ("submitted", "start", {}),
        ("submitted", "resolve", {"note": "x"}),
        ("assigned", "resolve", {"note": "x"}),
        ("resolved", "start", {}),
        ("closed", "assign", None),
        ("cancelled", "assign", None),
        ("resolved", "follow-up", {"note": "x"}),
    ],
)
def test_it_answers_409_to_a_staff_transition_the_table_does_not_allow(
    as_user, owner, room, category, handler, upto, action, body
):
    order = rf.make_work_order(owner, room=room, category=category, upto=upto, handler=handler)
    body = {"assignee": handler.pk} if body is None else body
    response = as_user(handler).post(f"{QUEUE}{order.pk}/{action}/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_every_state_is_reachable_and_closed_and_cancelled_are_final():
    targets = {target for _, target in TRANSITIONS.values()}
    sources = set().union(*(sources for sources, _ in TRANSITIONS.values()))
    assert targets | {WorkOrder.Status.SUBMITTED} == set(WorkOrder.Status.values)
    assert not sources & {WorkOrder.Status.CLOSED, WorkOrder.Status.CANCELLED}


def test_it_lets_the_resident_cancel_while_submitted(as_user, owner, room, category, manager):
    order = rf.make_work_order(owner, room=room, category=category)
    response = as_user(owner).post(f"{MINE}{order.pk}/cancel/", {"reason": "自己修好了"}, format="json")
    assert response.json()["status"] == "cancelled"
    assert Notification.objects.filter(recipient=manager, kind="work_order.cancel").exists()


def test_it_transfers_to_another_handler_only_with_a_reason(as_user, owner, room, category, handler, manager):
    order = rf.make_work_order(owner, room=room, category=category, upto="in_progress", handler=handler)
    url = f"{QUEUE}{order.pk}/assign/"
    response = as_user(manager).post(url, {"assignee": manager.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]

    response = as_user(manager).post(url, {"assignee": manager.pk, "reason": "小王休假"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["assignee"]["id"]) == ("assigned", manager.pk)
    assert "小王休假" in body["timeline"][-1]["note"]
    assert Notification.objects.filter(recipient=handler, kind="work_order.assign", title="工单已转派").exists()

    response = as_user(manager).post(url, {"assignee": manager.pk, "reason": "again"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_assigned"


def test_it_records_the_first_response_time_only_once(as_user, owner, room, category, handler, manager):
    order = rf.make_work_order(owner, room=room, category=category, upto="assigned", handler=handler)
    first = order.responded_at
    as_user(manager).post(f"{QUEUE}{order.pk}/assign/", {"assignee": manager.pk, "reason": "换人"}, format="json")
    order.refresh_from_db()
    assert order.responded_at == first


def test_staff_file_an_order_by_phone_on_a_residents_behalf(as_user, staff, owner, room, category, manager):
    response = as_user(staff).post(
        QUEUE,
        {
            "reporter": owner.pk,
            "channel": "phone",
            "kind": "complaint",
            "category": category.pk,
            "description": "楼上装修噪音（电话反映）",
            "room": room.pk,
            "contact_phone": "13800001111",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["channel"], body["reporter"]["id"], body["filed_by"]["id"]) == ("phone", owner.pk, staff.pk)
    assert body["reporter_phone"] == "13800001111"  # the handler calls back: in full on the detail
    assert body["timeline"][0]["actor"]["id"] == staff.pk
    # The resident finds it among their own orders and is told about it.
    assert body["id"] in {row["id"] for row in as_user(owner).get(MINE).json()["results"]}
    assert Notification.objects.filter(recipient=owner, kind="work_order.submit").exists()
    assert Notification.objects.filter(recipient=manager, kind="work_order.submit").exists()


def test_staff_cannot_file_for_someone_who_does_not_live_in_their_community(as_user, staff, category, other_community):
    resident_there, _ = rf.make_verified_resident(other_community)
    response = as_user(staff).post(
        QUEUE,
        {"reporter": resident_there.pk, "kind": "repair", "category": category.pk, "description": "x"},
        format="json",
    )
    assert response.status_code == 400
    response = as_user(staff).post(
        QUEUE,
        {
            "reporter": resident_there.pk,
            "kind": "repair",
            "category": category.pk,
            "description": "x",
            "community": other_community.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()


def test_the_list_masks_the_residents_phone_and_the_detail_shows_it_to_the_handler(
    as_user, owner, room, category, handler
):
    order = rf.make_work_order(owner, room=room, category=category)
    row = as_user(handler).get(f"{QUEUE}").json()["results"][0]
    assert row["reporter_phone"] == "138****1111"
    assert as_user(handler).get(f"{QUEUE}{order.pk}/").json()["reporter_phone"] == "13800001111"


def test_it_follows_up_a_closed_order_and_keeps_it_in_the_timeline(as_user, owner, room, category, handler, staff):
    order = rf.make_work_order(owner, room=room, category=category, upto="closed", handler=handler)
    response = as_user(staff).post(f"{QUEUE}{order.pk}/follow-up/", {"note": "满意"}, format="json")
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.follow_up_note, order.followed_up_by_id, order.status) == ("满意", staff.pk, "closed")
    assert order.history.filter(action=WorkOrderHistory.Action.FOLLOW_UP, actor=staff).exists()


@pytest.mark.parametrize(
    ("search", "found"),
    [("漏水", True), ("李阿姨", True), ("鸟叫", False)],
)
def test_it_searches_the_queue(as_user, owner, room, category, handler, search, found):
    order = rf.make_work_order(owner, room=room, category=category, description="厨房漏水")
    rows = as_user(handler).get(QUEUE, {"search": search}).json()["results"]
    assert (order.pk in {r["id"] for r in rows}) == found


def test_it_searches_the_queue_by_order_number(as_user, owner, room, category, handler):
    order = rf.make_work_order(owner, room=room, category=category)
    rf.make_work_order(owner, room=room, category=category)
    rows = as_user(handler).get(QUEUE, {"search": f"#{order.pk}"}).json()["results"]
    assert [r["id"] for r in rows] == [order.pk]


@pytest.mark.parametrize(("field", "value", "matches"), [("status", "assigned", 1), ("kind", "complaint", 1)])
def test_it_filters_the_queue(as_user, owner, room, category, handler, field, value, matches):
    rf.make_work_order(owner, room=room, category=category, upto="assigned", handler=handler)
    rf.make_work_order(owner, room=room, category=category, kind="complaint")
    assert as_user(handler).get(QUEUE, {field: value}).json()["count"] == matches


def test_it_filters_the_queue_by_category(as_user, owner, room, category, handler):
    other = rf.make_category()
    rf.make_work_order(owner, room=room, category=category)
    mine = rf.make_work_order(owner, room=room, category=other)
    rows = as_user(handler).get(QUEUE, {"category": other.pk}).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]


def test_it_filters_my_orders_by_status(as_user, owner, room, category, handler):
    rf.make_work_order(owner, room=room, category=category, upto="closed", handler=handler)
    rf.make_work_order(owner, room=room, category=category)
    assert as_user(owner).get(MINE, {"status": "closed"}).json()["count"] == 1
