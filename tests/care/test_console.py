"""The console: community staff see their communities' care orders, a provider's manager its own
provider's; the dashboard shows care orders, visits on time and the subsidy spent this month."""

from django.test import Client

from care.models import ProviderPosition
from tests import factories
from tests.care import factories as cf

ORDERS = "/admin/care/careorder/"


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_community_staff_see_only_their_communitys_orders(staff, other_staff, elder, bathing):
    order = cf.make_order(elder, bathing)

    assert order.number in console(staff).get(ORDERS).content.decode()
    assert order.number not in console(other_staff).get(ORDERS).content.decode()
    assert console(other_staff).get(f"{ORDERS}{order.pk}/change/").status_code == 302  # not there: back to the list


def test_a_provider_manager_sees_only_its_providers_orders(community, elder, bathing, manager):
    ours = cf.make_order(elder, bathing)
    rival = cf.make_provider(community, name="另一家养老机构")
    theirs = cf.make_order(cf.make_elder(community), cf.make_service(rival, community))
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])

    page = console(manager).get(ORDERS)

    assert page.status_code == 200
    assert ours.number in page.content.decode()
    assert theirs.number not in page.content.decode()


def test_a_rival_manager_is_not_let_into_our_orders(community, elder, bathing):
    order = cf.make_order(elder, bathing)
    rival_manager = cf.make_member(cf.make_provider(community), ProviderPosition.MANAGER, is_staff=True)

    assert order.number not in console(rival_manager).get(ORDERS).content.decode()


def test_the_order_page_shows_the_door_code_of_the_elders_home(staff, elder, bathing):
    from care import checkin

    order = cf.make_order(elder, bathing)

    page = console(staff).get(f"{ORDERS}{order.pk}/change/").content.decode()

    assert checkin.door_code(order.room_id) in page


def test_the_dashboard_shows_care_orders_visits_and_subsidy(as_user, staff, community, elder, bathing):
    from care import services

    cf.give_subsidy(elder, community, amount_fen=3000)
    cf.make_order(elder, bathing)
    services.visit_plan_create(by=staff, elder=elder, visitor=factories.make_user(), weekday=0)

    widgets = {w["key"]: w for w in as_user(staff).get("/api/v1/staff/dashboard/").json()["widgets"]}

    orders = {m["key"]: m["value"] for m in widgets["care_orders"]["metrics"]}
    assert (orders["total"], orders["open"]) == (1, 1)
    subsidy = {m["key"]: m["value"] for m in widgets["care_subsidy"]["metrics"]}
    assert (subsidy["spent_this_month"], subsidy["granted_this_month"], subsidy["elders"]) == (30.0, 30.0, 1)
