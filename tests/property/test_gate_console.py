"""The console side of the gate: the 今日访客 widget, the admin's walk-in registration and scoping,
and visitor passes in a person's data export and erasure."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from linli.accounts.privacy import erase_user, export_user_data
from linli.console.registry import Scope
from property import dashboard
from property.models import GateEntry, VisitorPass
from property.services import gate as services
from tests.property.gate_factories import make_gate, make_host, make_pass
from tests.quality.query_budget import assert_num_queries
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/devices/gate/verify/"


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_widget_counts_todays_visitors_in_a_fixed_number_of_queries(community, other_community, staff):
    user, room = make_host(community)
    _device, gate = make_gate(room.building.estate)
    visitor_pass = make_pass(user, room, entries=1)
    gate.post(VERIFY, {"code": visitor_pass.code}, format="json")  # allowed
    gate.post(VERIFY, {"code": visitor_pass.code}, format="json")  # refused: used up
    make_pass(user, room, entries=3)  # open, unused
    services.walk_in_register(staff=staff, estate=room.building.estate, visitor_name="快递员")
    _elsewhere_user, elsewhere_room = make_host(other_community)
    make_gate(elsewhere_room.building.estate)
    services.walk_in_register(staff=staff, estate=elsewhere_room.building.estate, visitor_name="别处的访客")
    scope = Scope([community.pk], timezone.localdate(), days=7)

    with assert_num_queries(4, label="gates?, today's totals, visitors by day, open passes"):
        data = dashboard.visitors.compute(scope)

    metrics = {m.key: m.value for m in data.metrics}
    assert metrics == {"allowed": 2, "walk_ins": 1, "refused": 1, "open_passes": 1}
    assert data.trend.series[0][1][-1] == 2.0


def test_the_widget_is_left_out_where_there_is_no_gate(community):
    assert dashboard.visitors.compute(Scope([community.pk], timezone.localdate())) is None


def test_staff_register_a_walk_in_in_the_admin_and_see_only_their_communitys_log(community, other_community, staff):
    room = rf.make_room(community)
    elsewhere = rf.make_room(other_community, estate_name="隔壁的小区").building.estate
    services.walk_in_register(staff=staff, estate=elsewhere, visitor_name="别处")
    client = console(staff)

    response = client.post(
        "/admin/property/gateentry/add/",
        {"estate": room.building.estate_id, "room": room.pk, "visitor_name": "送水工", "plate": "浙h12345"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = GateEntry.objects.get(visitor_name="送水工")
    assert (entry.method, entry.result, entry.registered_by, entry.plate) == ("walk_in", "allowed", staff, "浙H12345")
    page = client.get("/admin/property/gateentry/").content.decode()
    assert "送水工" in page and "别处" not in page and "隔壁的小区" not in page  # nor in the estate filter


def test_the_admin_refuses_a_walk_in_for_another_communitys_estate(community, other_community, staff):
    elsewhere = rf.make_room(other_community).building.estate

    response = console(staff).post("/admin/property/gateentry/add/", {"estate": elsewhere.pk, "visitor_name": "甲"})

    assert response.status_code == 200  # the form again, with the error
    assert not GateEntry.objects.exists()


def test_the_admin_never_shows_a_pass_code(community, staff):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room)

    page = console(staff).get(f"/admin/property/visitorpass/{visitor_pass.pk}/change/").content.decode()

    assert "王小明" in page and visitor_pass.code not in page


def test_export_holds_my_passes_and_erasure_blanks_my_visitors(community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room, plate="浙H88888", lasts=timedelta(days=2))
    _device, gate = make_gate(room.building.estate)
    gate.post(VERIFY, {"code": visitor_pass.code}, format="json")

    exported = export_user_data(user)["property"]["visitor_passes"]
    assert [(p["visitor_name"], p["visitor_phone"], p["plate"]) for p in exported] == [
        ("王小明", "13800138000", "浙H88888")
    ]

    erase_user(user=user)

    visitor_pass = VisitorPass.objects.get(pk=visitor_pass.pk)
    assert visitor_pass.revoked_at is not None and (visitor_pass.visitor_phone, visitor_pass.plate) == ("", "")
    assert "王小明" not in str(export_user_data(user)["property"])
    assert not GateEntry.objects.filter(visitor_name="王小明").exists()
    assert gate.post(VERIFY, {"code": visitor_pass.code}, format="json").json()["reason"] == "revoked"
