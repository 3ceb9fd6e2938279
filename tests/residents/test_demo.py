"""residents/demo.py: 张大爷 (dev-demo) gets a lived-in account; running it twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from linli.accounts.models import User
from linli.notifications.models import Notification
from linli.points.models import PointsEntry
from linli.regions.models import Room
from residents.demo import HISTORY
from residents.models import Announcement, Verification, WorkOrder, WorkOrderCategory, WorkOrderHistory

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Room.objects.order_by("pk").values_list("pk", "number")),
        list(Verification.objects.values_list("pk", "status")),
        list(WorkOrder.objects.order_by("pk").values_list("pk", "status", "created_at", "rating")),
        WorkOrderHistory.objects.count(),
        list(PointsEntry.objects.values_list("idempotency_key", "amount")),
        list(Announcement.objects.values_list("pk", "title")),
        list(WorkOrderCategory.objects.values_list("name", "response_hours", "resolution_hours")),
        Notification.objects.count(),
    )


def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def test_zhang_daye_lives_in_chunjiangyue_with_points_orders_and_news(as_user):
    call_command("seed_demo", stdout=StringIO())
    client = as_user(User.objects.get(wechat_openid="dev-demo"))

    roles = client.get("/api/v1/me/").json()["roles"]
    assert [(r["role"], r["community"]["name"], r["scope"]["name"], r["position"]) for r in roles] == [
        ("resident", "白云社区", "春江月小区 3幢2单元 502室", "owner")
    ]
    # 170 + 5 for rating a work order + 20 for 2 hours of 春江月小区环境清洁志愿服务 (events demo)
    assert client.get("/api/v1/points/").json()["balance"] == 195

    orders = client.get("/api/v1/residents/work-orders/").json()["results"]
    assert {o["status"] for o in orders} == {"closed", "resolved", "in_progress", "submitted"}
    closed = next(o for o in orders if o["status"] == "closed")
    assert closed["rating"] == 5
    timeline = client.get(f"/api/v1/residents/work-orders/{closed['id']}/").json()["timeline"]
    assert [step["action"] for step in timeline] == ["submit", "assign", "start", "resolve", "confirm"]
    assert timeline[1]["duration_seconds"] == 1800

    assert client.get("/api/v1/residents/announcements/").json()["count"] == 2
    names = {c["name"] for c in client.get("/api/v1/residents/work-order-categories/").json()["results"]}
    assert {"水电维修", "门窗维修", "公共设施", "环境卫生", "噪音投诉", "停车管理"} <= names


def test_the_property_manager_of_baiyun_sees_the_demo_queue(as_user):
    call_command("seed_demo", stdout=StringIO())
    client = as_user(User.objects.get(username="property_baiyun"))
    # 张大爷's four orders, and the month of neighbours' orders every community gets for the console
    assert client.get("/api/v1/staff/work-orders/").json()["count"] == 4 + len(HISTORY)
    # 斗潭: the month of neighbours' orders, 王秀英's (dev-wang) loose step and 王桂兰's (dev-elder, of the
    # 亲情账号 demo) draughty window; not one of 张大爷's (白云)
    doutan = as_user(User.objects.get(username="property_doutan")).get("/api/v1/staff/work-orders/").json()
    assert doutan["count"] == len(HISTORY) + 2
    zhang = User.objects.get(wechat_openid="dev-demo")
    assert zhang.pk not in {o["reporter"]["id"] for o in doutan["results"]}


@pytest.mark.parametrize(
    ("code", "name", "community", "room", "announcement"),
    [
        ("dev-wang", "王阿姨", "斗潭社区", "斗潭小区 1幢2单元 301室", "幸福学堂秋季课程报名开始"),
        ("dev-li", "李师傅", "回龙社区", "回龙小区 1幢1单元 402室", "回龙市集周末开市"),
    ],
)
def test_doutan_and_huilong_each_have_a_verified_resident_who_logs_in(api, code, name, community, room, announcement):
    call_command("seed_demo", stdout=StringIO())

    login = api.post("/api/v1/auth/wechat/login/", {"code": code}, format="json")

    assert login.status_code == 200
    user = login.json()["user"]
    assert (user["username"], user["display_name"]) == (f"wx_{code}", name)
    assert [(r["role"], r["community"]["name"], r["scope"]["name"]) for r in user["roles"]] == [
        ("resident", community, room)
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    assert [a["title"] for a in api.get("/api/v1/residents/announcements/").json()["results"]] == [announcement]
    [order] = api.get("/api/v1/residents/work-orders/").json()["results"]
    assert order["status"] == "submitted"
    assert api.get("/api/v1/points/").json()["balance"] == 100
    assert User.objects.filter(wechat_openid=code).count() == 1  # the login found the seeded user
