"""The rice mill in 春江月小区: pick a weight, pay, the machine dispenses; a failed dispense refunds."""

import pytest

from linli.devices.models import Device, DeviceCommand
from linli.payments.models import Refund
from merchants.models import Order
from tests.merchants.devices import ack
from tests.merchants.factories import make_owner, make_rice_mill

pytestmark = pytest.mark.django_db
URL = "/api/v1/market/rice-mill/orders/"


@pytest.fixture
def mill(other_community):
    merchant, _owner = make_owner(other_community)
    return make_rice_mill(merchant, code="baiyun-rice-1")


def order_and_pay(client, weight_g=2500):
    order = client.post(URL, {"device": "baiyun-rice-1", "weight_g": weight_g}, format="json").json()
    params = client.post(f"/api/v1/market/orders/{order['id']}/pay/").json()
    client.post(params["sandbox_complete_url"], {}, format="json")
    return Order.objects.get(pk=order["id"])


def test_the_machine_shows_its_steps_and_prices(as_user, resident, mill):
    body = as_user(resident).get("/api/v1/market/devices/baiyun-rice-1/").json()
    assert body["price_per_kg_fen"] == 600
    assert body["weight_steps"] == [
        {"weight_g": 1000, "price_fen": 600},
        {"weight_g": 2500, "price_fen": 1500},
        {"weight_g": 5000, "price_fen": 3000},
    ]


def test_only_the_machines_weights_can_be_ordered(as_user, resident, mill):
    response = as_user(resident).post(URL, {"device": "baiyun-rice-1", "weight_g": 1234}, format="json")
    assert response.status_code == 400
    assert "weight_g" in response.json()["fields"]


def test_an_unknown_or_disabled_machine_is_refused(as_user, resident, mill):
    assert as_user(resident).post(URL, {"device": "nope", "weight_g": 1000}, format="json").status_code == 404
    Device.objects.filter(pk=mill.pk).update(status=Device.Status.DISABLED)
    response = as_user(resident).post(URL, {"device": "baiyun-rice-1", "weight_g": 1000}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "device_unavailable")


def test_payment_sends_one_dispense_command_and_its_ack_completes_the_order(as_user, resident, mill):
    client = as_user(resident)
    created = client.post(URL, {"device": "baiyun-rice-1", "weight_g": 2500}, format="json")
    assert created.status_code == 201
    assert (created.json()["total_fen"], created.json()["items"][0]["weight_g"]) == (1500, 2500)
    assert not DeviceCommand.objects.exists(), "nothing is dispensed before payment"

    order = order_and_pay(client)
    assert order.status == "paid"
    command = DeviceCommand.objects.get(device=mill, kind="dispense")
    assert command.payload == {"order": order.pk, "number": order.number, "weight_g": 2500}

    ack(command, DeviceCommand.Status.DONE, {"dispensed_g": 2500})
    order.refresh_from_db()
    assert order.status == "completed"
    ack(command, DeviceCommand.Status.DONE)
    assert order.history.filter(to_status="completed").count() == 1


def test_a_failed_dispense_refunds_automatically_and_once(as_user, resident, mill):
    order = order_and_pay(as_user(resident), 5000)
    command = DeviceCommand.objects.get(kind="dispense")
    ack(command, DeviceCommand.Status.FAILED, {"error": "米仓缺米"})
    ack(command, DeviceCommand.Status.FAILED, {"error": "米仓缺米"})
    order.refresh_from_db()
    assert (order.status, order.refunded_fen) == ("refunded", 3000)
    refund = Refund.objects.get()
    assert (refund.amount_fen, refund.status, refund.reason) == (3000, "succeeded", "出米失败，自动退款")
    detail = as_user(resident).get(f"/api/v1/market/orders/{order.pk}/").json()
    assert detail["history"][-1]["note"].endswith("出米失败，自动退款")


def test_a_rice_mill_order_expires_unpaid_like_any_order(as_user, resident, mill):
    from datetime import timedelta

    from django.utils import timezone

    from linli.payments.services import payment_intents_close_expired

    order = as_user(resident).post(URL, {"device": "baiyun-rice-1", "weight_g": 1000}, format="json").json()
    payment_intents_close_expired(now=timezone.now() + timedelta(minutes=16))
    assert Order.objects.get(pk=order["id"]).status == "cancelled"
    assert not DeviceCommand.objects.exists()
