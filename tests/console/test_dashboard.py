from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from linli.accounts.models import Role
from linli.points import services as points
from tests import factories

URL = "/api/v1/staff/dashboard/"
pytestmark = pytest.mark.django_db


def settle_resident(community, room_id):
    user = factories.make_resident()
    factories.grant(
        user,
        Role.RESIDENT,
        community=community,
        scope_type=ContentType.objects.get_for_model(community),
        scope_id=room_id,
    )
    return user


def test_staff_see_only_their_communities(as_user, staff, community, other_community):
    body = as_user(staff).get(URL).json()
    assert [c["name"] for c in body["communities"]] == ["斗潭社区"]
    assert [row["community"]["name"] for row in body["service_index"]] == ["斗潭社区"]


def test_another_communitys_dashboard_is_404(as_user, staff, other_community):
    response = as_user(staff).get(URL, {"community": other_community.pk})
    assert response.status_code == 404


def test_residents_cannot_open_the_dashboard(as_user, resident):
    response = as_user(resident).get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_superuser_sees_every_community(as_user, community, other_community):
    admin = factories.make_user(is_superuser=True, is_staff=True)
    body = as_user(admin).get(URL).json()
    assert {c["name"] for c in body["communities"]} == {"斗潭社区", "白云社区"}


def test_the_numbers_come_from_the_data(as_user, staff, community, other_community):
    here = settle_resident(community, 1)
    settle_resident(community, 2)
    settle_resident(other_community, 3)
    points.award(user=here, amount=30, reason="活动签到", idempotency_key="t1")
    points.spend(user=here, amount=10, reason="市集抵扣", idempotency_key="t2")
    body = as_user(staff).get(URL).json()
    residents = next(w for w in body["widgets"] if w["key"] == "residents")
    metrics = {m["key"]: m["value"] for m in residents["metrics"]}
    assert metrics == {"households": 2, "residents": 2, "points_earned": 30, "points_spent": 10}
    assert residents["trend"]["series"][0]["values"][-1] == 30
    assert len(residents["trend"]["dates"]) == 30
    prosperity = next(p for p in body["service_index"][0]["components"] if p["key"] == "prosperity")
    # 40 points moved over 2 households = 20 per household → points half scores 20 → 10
    assert prosperity["value"] == 10.0


def test_a_quiet_community_shows_no_score_rather_than_zero(as_user, staff):
    components = as_user(staff).get(URL).json()["service_index"][0]["components"]
    assert all(part["value"] is None for part in components)


def test_the_dashboard_query_count_does_not_grow_with_data(as_user, staff, community, django_assert_max_num_queries):
    client = as_user(staff)
    for i in range(3):
        user = settle_resident(community, i)
        points.award(user=user, amount=5, reason="r", idempotency_key=f"a{i}")
    with django_assert_max_num_queries(60) as small:
        client.get(URL)
    for i in range(3, 40):
        user = settle_resident(community, i)
        points.award(user=user, amount=5, reason="r", idempotency_key=f"a{i}")
    cache.clear()  # the numbers are shared for a minute: measure a fresh computation again
    with django_assert_max_num_queries(60) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_numbers_are_shared_for_a_minute_and_say_as_of_when(as_user, staff, community):
    client = as_user(staff)
    user = settle_resident(community, 0)
    points.award(user=user, amount=5, reason="r", idempotency_key="a0")
    first = client.get(URL).json()
    points.award(user=user, amount=7, reason="r", idempotency_key="a1")

    again = client.get(URL).json()
    cache.clear()  # a minute later
    fresh = client.get(URL).json()

    def earned(body):
        residents = next(w for w in body["widgets"] if w["key"] == "residents")
        return {m["key"]: m["value"] for m in residents["metrics"]}["points_earned"]

    assert [earned(first), earned(again), earned(fresh)] == [5, 5, 12]
    assert again["as_of"] == first["as_of"]
    assert timezone.datetime.fromisoformat(first["as_of"]) <= timezone.datetime.fromisoformat(fresh["as_of"])


@pytest.mark.parametrize("days", [0, 6, 91, "x"])
def test_it_rejects_a_bad_period(as_user, staff, days):
    response = as_user(staff).get(URL, {"days": days})
    assert response.status_code == 400
    assert "days" in response.json()["fields"]


def test_the_admin_landing_page_is_the_dashboard(staff, community):
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "服务力指数" in html
    assert "<svg" in html
    assert "斗潭社区" in html
    assert "白云社区" not in html


def test_the_period_ends_today(as_user, staff):
    body = as_user(staff).get(URL, {"days": 7}).json()
    today = timezone.localdate()
    assert body["period"] == {
        "start": (today - timedelta(days=6)).isoformat(),
        "end": today.isoformat(),
        "days": 7,
    }
