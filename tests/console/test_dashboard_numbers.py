"""The dashboard shows what the API reports for the same data and period: each widget against its
app's staff stats endpoint, and the admin landing page against /api/v1/staff/dashboard/. Its query
count stays the same however much data there is."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enforcement.services import reports as report_services
from events import services as event_services
from health.models import InsuranceApplication, PolicyArticle
from linli.devices.models import Device
from merchants.models import Order
from residents.models import WorkOrder
from tests import factories
from tests.enforcement.factories import make_report, make_world
from tests.events.factories import make_event, make_verified, register
from tests.merchants.factories import make_owner, make_paid_order, make_product
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db
DASHBOARD = "/api/v1/staff/dashboard/"


def widget(body, key) -> dict:
    found = next(w for w in body["widgets"] if w["key"] == key)
    return {**found, "values": {m["key"]: m["value"] for m in found["metrics"]}}


def period(body) -> dict:
    return {"from": body["period"]["start"], "to": body["period"]["end"]}


# --- one app's data, as the app's own builders make it ----------------------------------------------


def work_orders(community, n=1):
    manager = rf.make_property_manager(community)
    for _ in range(n):
        reporter, room = rf.make_verified_resident(community)
        rf.make_work_order(reporter, room=room, upto="closed", handler=manager)  # rated 4
        rf.make_work_order(reporter, room=room, upto="resolved", handler=manager)
        rf.make_work_order(reporter, room=room)


def registrations(community, n=1):
    event = make_event(community, starts_in=timedelta(minutes=30), capacity=100)
    for _ in range(n):
        registration = register(event, make_verified(community))
        event_services.registration_check_in(event=event, ticket=registration.ticket, staff=None)


def sales(community, n=1):
    merchant, owner = make_owner(community)
    product = make_product(merchant, price_fen=1250, stock=1000)
    for _ in range(n):
        make_paid_order(make_verified(community), product, quantity=2)
    return owner


def health(community, n=1):
    for _ in range(n):
        InsuranceApplication.objects.create(
            applicant=factories.make_resident(), community=community, type="reimbursement", details="门诊报销"
        )
    PolicyArticle.objects.create(
        title="医保新政", body="正文", community=community, status="published", pushed_at=timezone.now()
    )


def devices(community, n=1):
    for i in range(n):
        code = f"mill-{community.pk}-{Device.objects.count()}-{i}"
        Device.objects.create(kind="rice_mill", code=code, name="碾米机", community=community, status="offline")


def everything(community, n=1):
    work_orders(community, n)
    registrations(community, n)
    sales(community, n)
    health(community, n)
    devices(community, n)


# --- each widget equals its app's stats endpoint -------------------------------------------------------


def test_the_work_order_widget_equals_the_work_order_stats_endpoint(as_user, staff, community, other_community):
    work_orders(community, 2)
    work_orders(other_community)
    client = as_user(staff)

    body = client.get(DASHBOARD).json()
    stats = client.get("/api/v1/staff/work-orders/stats/", period(body)).json()["communities"]

    [ours] = stats
    shown = widget(body, "work_orders")
    assert shown["values"]["total"] == ours["total"] == 6
    assert shown["values"]["average_rating"] == ours["average_rating"] == 4.0
    assert shown["values"]["on_time_rate"] == round(ours["on_time_rate"] * 100, 1)
    by_label = {b["label"]: b["value"] for b in shown["breakdown"]}
    assert by_label == {label: ours["by_status"][value] for value, label in WorkOrder.Status.choices}


def test_the_market_widget_equals_the_merchant_stats_endpoint(as_user, staff, community):
    owner = sales(community, 3)

    body = as_user(staff).get(DASHBOARD).json()
    merchant_stats = as_user(owner).get(
        "/api/v1/merchant/stats/", {"date_from": body["period"]["start"], "date_to": body["period"]["end"]}
    )
    stats = merchant_stats.json()

    shown = widget(body, "market")["values"]
    assert shown["orders"] == stats["orders"] == 3
    assert shown["gross_yuan"] * 100 == stats["gross_fen"] == 3 * 2500
    assert shown["net_yuan"] * 100 == stats["net_fen"]
    assert Order.objects.count() == 3


def test_the_enforcement_widget_equals_the_enforcement_stats_endpoint(as_user, django_capture_on_commit_callbacks):
    world = make_world()
    community = factories.make_community(street=world.taoyan, name="陶堰社区", code="taoyan-c")
    with django_capture_on_commit_callbacks(execute=True):
        handled = make_report(category=world.fishing_cat, street=world.taoyan)
        make_report(category=world.food_cat, street=world.taoyan, channel="hotline")
        make_report(category=world.fishing_cat, street=world.fushan, channel="grid")
        report_services.report_accept(report=handled, actor=world.officer_taoyan)
        report_services.report_handle(report=handled, actor=world.officer_taoyan)
        report_services.report_outcome(report=handled, actor=world.officer_taoyan, outcome="persuaded")
    root = factories.make_user(is_staff=True, is_superuser=True)

    body = as_user(root).get(DASHBOARD).json()  # the district: every team, like a dispatcher
    stats = as_user(world.dispatcher).get("/api/v1/staff/enforcement/stats/", period(body)).json()

    shown = widget(body, "enforcement")
    for key in ("reports", "joint_inspections", "problems_found", "cases_filed"):
        assert shown["values"][key] == stats[key], key
    assert shown["values"]["reports"] == 3
    assert shown["values"]["on_time_rate"] == round(stats["on_time_rate"] * 100, 1)
    assert {b["label"]: b["value"] for b in shown["breakdown"]} == {
        row["label"]: row["count"] for row in stats["reports_by_outcome"] if row["count"]
    }
    assert sum(shown["trend"]["series"][0]["values"]) == stats["reports"]
    # A community's own dashboard shows the teams of its township: 陶堰's team, not the districts'.
    staff = factories.make_user(is_staff=True)
    factories.grant(staff, "community_staff", community=community)
    own = widget(as_user(staff).get(DASHBOARD).json(), "enforcement")["values"]
    team_stats = (
        as_user(world.dispatcher)
        .get("/api/v1/staff/enforcement/stats/", {**period(body), "team": world.taoyan_team.pk})
        .json()
    )
    assert own["reports"] == team_stats["reports"] == 1


# --- the admin page and the staff API agree ------------------------------------------------------------


def test_the_admin_page_shows_the_numbers_of_the_staff_dashboard_api(as_user, staff, community, other_community):
    everything(community, 2)
    everything(other_community)
    client = Client()
    client.force_login(staff)

    page = client.get("/admin/")
    api = as_user(staff).get(DASHBOARD).json()

    shown = page.context["dashboard"]
    assert [w["key"] for w in shown["widgets"]] == [w["key"] for w in api["widgets"]]
    for on_page, in_api in zip(shown["widgets"], api["widgets"], strict=True):
        assert {m["key"]: m["value"] for m in on_page["metrics"]} == {m["key"]: m["value"] for m in in_api["metrics"]}
    assert shown["service_index"] == api["service_index"]
    html = page.content.decode()
    for key in ("work_orders", "events", "market", "health", "residents", "devices"):
        assert f'id="widget-{key}"' in html
    assert 'id="widget-enforcement"' not in html  # no enforcement team works in 斗潭's street
    assert widget(api, "health")["values"]["pending"] == 2
    assert widget(api, "market")["values"]["orders"] == 2
    assert widget(api, "events")["values"]["registrations"] == 2


def test_the_service_index_has_every_component_with_data(as_user, staff, community):
    everything(community, 2)

    [row] = as_user(staff).get(DASHBOARD).json()["service_index"]

    values = {part["key"]: part["value"] for part in row["components"]}
    assert values["satisfaction"] == 80.0  # every closed order rated 4 of 5
    assert values["prosperity"] is not None and values["participation"] is not None


# --- bounded queries -------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_admin_dashboard_costs_the_same_queries_with_ten_times_the_data(staff, community):
    client = Client()
    client.force_login(staff)
    everything(community, 1)
    small = count_queries(client, "/admin/")
    everything(community, 10)
    cache.clear()  # the numbers are shared for a minute: measure a fresh computation again
    large = count_queries(client, "/admin/")

    assert large == small
    assert small <= 60


def test_the_district_dashboard_costs_the_same_queries_with_more_data(as_user, community, other_community):
    root = as_user(factories.make_user(is_staff=True, is_superuser=True))
    world = make_world()
    everything(community, 1)
    make_report(category=world.fishing_cat, street=world.taoyan)
    small = count_queries(root, DASHBOARD)
    small_cached = count_queries(root, DASHBOARD)
    everything(other_community, 5)
    for _ in range(5):
        make_report(category=world.food_cat, street=world.fushan, channel="hotline")
    cache.clear()  # the numbers are shared for a minute: measure a fresh computation again
    large = count_queries(root, DASHBOARD)

    assert large == small
    assert count_queries(root, DASHBOARD) == small_cached < small
