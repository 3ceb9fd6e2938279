"""亲情账号 and home care: a family member orders, pays, cancels and rates for the elder with the
binding's permissions (?on_behalf_of=), and family holding 接收告警 hear of every step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from care.models import CareOrder
from linli.family.models import FamilyAct
from linli.notifications.models import Notification
from linli.payments.models import PaymentIntent
from tests.care import factories as cf
from tests.family.factories import bind

ORDERS = "/api/v1/care/orders/"


@pytest.fixture
def son(community):
    from tests import factories

    return factories.make_resident(display_name="王建军")


def place_for(client, elder, service):
    start = timezone.localtime(timezone.now() + timedelta(days=1)).isoformat()
    return client.post(
        f"{ORDERS}?on_behalf_of={elder.pk}", {"service": service.pk, "scheduled_start": start}, format="json"
    )


def test_a_family_member_with_act_for_and_pay_for_orders_and_pays_for_the_elder(as_user, elder, son, bathing):
    bind(elder, son)
    client = as_user(son)

    placed = place_for(client, elder, bathing)

    assert placed.status_code == 201, placed.json()
    body = placed.json()
    assert (body["elder"]["id"], body["placed_by"]["id"]) == (elder.pk, son.pk)
    assert PaymentIntent.objects.get(pk=body["payment"]).payer_id == son.pk
    assert client.post(f"{ORDERS}{body['id']}/pay/?on_behalf_of={elder.pk}").status_code == 200
    assert FamilyAct.objects.filter(actor=son, beneficiary=elder, kind="care.order").count() == 1
    assert [o["id"] for o in client.get(f"{ORDERS}?on_behalf_of={elder.pk}").json()["results"]] == [body["id"]]
    assert client.get(ORDERS).json()["results"] == []  # his own orders: none


def test_without_pay_for_the_elder_pays(as_user, elder, son, bathing):
    bind(elder, son, pay_for=False)

    body = place_for(as_user(son), elder, bathing).json()

    assert PaymentIntent.objects.get(pk=body["payment"]).payer_id == elder.pk
    paying = as_user(son).post(f"{ORDERS}{body['id']}/pay/?on_behalf_of={elder.pk}")
    assert (paying.status_code, paying.json()["code"]) == (403, "not_permitted")


def test_without_act_for_nothing_can_be_done_for_the_elder(as_user, elder, son, bathing):
    bind(elder, son, act_for=False)
    order = cf.make_order(elder, bathing, upto="done")
    client = as_user(son)

    assert place_for(client, elder, bathing).json()["code"] == "not_permitted"
    assert client.get(f"{ORDERS}?on_behalf_of={elder.pk}").status_code == 403
    rate = client.post(f"{ORDERS}{order.pk}/rate/?on_behalf_of={elder.pk}", {"rating": 5}, format="json")
    assert (rate.status_code, rate.json()["code"]) == (403, "not_permitted")
    assert CareOrder.objects.count() == 1


def test_an_unbound_user_never_sees_the_elders_orders(as_user, elder, bathing, community):
    from tests import factories

    cf.make_order(elder, bathing)
    stranger = factories.make_resident()

    response = as_user(stranger).get(f"{ORDERS}?on_behalf_of={elder.pk}")

    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")


def test_family_rates_and_cancels_for_the_elder(as_user, elder, son, bathing):
    bind(elder, son)
    done = cf.make_order(elder, bathing, upto="done")
    waiting = cf.make_order(elder, bathing)
    client = as_user(son)

    rated = client.post(f"{ORDERS}{done.pk}/rate/?on_behalf_of={elder.pk}", {"rating": 4}, format="json")
    cancelled = client.post(f"{ORDERS}{waiting.pk}/cancel/?on_behalf_of={elder.pk}", {}, format="json")

    assert (rated.json()["status"], rated.json()["rating"]) == ("rated", 4)
    assert rated.json()["timeline"][-1]["actor"]["id"] == son.pk
    assert cancelled.json()["status"] == "cancelled"
    assert set(FamilyAct.objects.filter(actor=son).values_list("kind", flat=True)) == {
        "care.order.rate",
        "care.order.cancel",
    }


def test_family_with_receive_alerts_hear_of_every_step(elder, son, community, bathing):
    from tests import factories

    daughter = factories.make_resident(display_name="王丽")
    bind(elder, son)
    bind(elder, daughter, receive_alerts=False)

    cf.make_order(elder, bathing, upto="done")

    kinds = set(Notification.objects.filter(recipient=son).values_list("kind", flat=True))
    assert {"care.order_placed", "care.order_in_service", "care.order_done"} <= kinds
    assert not Notification.objects.filter(recipient=daughter, kind__startswith="care.").exists()


def test_family_see_the_elders_subsidy_with_act_for(as_user, elder, son, community):
    bind(elder, son)
    cf.give_subsidy(elder, community, amount_fen=20000)

    balance = as_user(son).get(f"/api/v1/care/subsidy/?on_behalf_of={elder.pk}").json()
    statement = as_user(son).get(f"/api/v1/care/subsidy/entries/?on_behalf_of={elder.pk}").json()

    assert balance["balance_fen"] == 20000
    assert statement["count"] == 1
