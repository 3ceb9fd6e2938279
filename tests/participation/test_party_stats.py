"""Stats: party members by type with their service (points earned, 在职 vs 社区), 报到, projects by
status and resources by kind; the console widget shows the API's numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.console.registry import Scope
from linli.points import services as points
from participation import dashboard
from participation.models import PartyMember
from participation.services import party as party_services
from tests.participation import party_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community, staff, other_community, other_staff):
    workplace = pf.make_member(community, confirmed_by=staff)
    local = pf.make_member(community, kind=PartyMember.Kind.COMMUNITY, confirmed_by=staff)
    pf.make_member(community)  # pending: not counted
    pf.make_member(other_community, confirmed_by=other_staff)  # another community: not counted
    party_services.party_report_create(member=workplace, community=community)
    points.award(user=workplace.user, amount=30, reason="志愿服务 3 小时", idempotency_key="t:1")
    points.award(user=workplace.user, amount=10, reason="志愿服务 1 小时", idempotency_key="t:2")
    points.award(user=local.user, amount=5, reason="参加议事会", idempotency_key="t:3")
    points.spend(user=local.user, amount=5, reason="兑换", idempotency_key="t:4")  # spending is no service
    alliance = pf.make_alliance(street=community.street)
    project = pf.make_project(community, alliance, staff=staff)
    pf.make_project(community, alliance, staff=staff, resources=list(project.resources.all()))
    return alliance


def test_the_api_counts_members_by_type_with_their_service(world, staff, as_user):
    body = as_user(staff).get("/api/v1/staff/participation/stats/").json()
    assert body["party_members"] == [
        {"kind": "workplace", "label": "在职党员", "members": 1, "service_points": 40, "service_entries": 2},
        {"kind": "community", "label": "社区党员", "members": 1, "service_points": 5, "service_entries": 1},
    ]
    assert body["reports"] == 1
    assert {p["key"]: p["count"] for p in body["projects"]} == {
        "planned": 2,
        "in_progress": 0,
        "completed": 0,
        "cancelled": 0,
    }
    assert {r["key"]: r["count"] for r in body["resources"]}["venue"] == 1
    future = as_user(staff).get(
        "/api/v1/staff/participation/stats/", {"date_from": "2099-01-01", "date_to": "2099-12-31"}
    )
    assert future.json()["party_members"][0]["service_points"] == 0
    bad = as_user(staff).get("/api/v1/staff/participation/stats/", {"date_from": "2026-12-02", "date_to": "2026-12-01"})
    assert bad.status_code == 400


def test_the_console_widget_shows_the_same_numbers(world, community, staff, as_user):
    api = (
        as_user(staff)
        .get("/api/v1/staff/participation/stats/", {"date_from": str(timezone.localdate() - timedelta(days=29))})
        .json()
    )
    data = dashboard.party_and_alliance.compute(Scope([community.pk], timezone.localdate()))
    metrics = {m.key: m.value for m in data.metrics}
    assert metrics["workplace_members"] == api["party_members"][0]["members"] == 1
    assert metrics["workplace_service"] == api["party_members"][0]["service_points"] == 40
    assert metrics["reports"] == api["reports"] == 1


def test_the_widget_is_left_out_where_there_is_nothing(other_community):
    assert dashboard.party_and_alliance.compute(Scope([other_community.pk], timezone.localdate())) is None
