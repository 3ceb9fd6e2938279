"""到家办 at the drug vending machine: POST /health/prescriptions/{id}/dispense/, the machine's ack, refunds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import Dispense, Prescription
from linli.devices.models import DeviceCommand
from linli.devices.services import device_commands_expire
from linli.notifications.models import Notification
from linli.payments.models import PaymentIntent, SandboxInsuranceAccount
from tests.health import factories as health

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/prescriptions/{}/dispense/"


@pytest.fixture
def machine(community):
    return health.make_drug_machine(community)


@pytest.fixture
def insured(verified_resident):
    SandboxInsuranceAccount.objects.create(user=verified_resident, balance_fen=10_000)
    return verified_resident


@pytest.fixture
def covered_only(insured):
    """Only covered drugs (甲/乙类): the personal account pays everything."""
    return health.make_prescription(insured, [(health.make_drug(coverage="A", price_fen=1250), 2)])


@pytest.fixture
def mixed(insured):
    """2 × 12.50 covered + 6.50 self-paid."""
    return health.make_prescription(insured)


def dispense(client, prescription, machine, method="insurance_account", **headers):
    return client.post(
        URL.format(prescription.pk), {"device": machine.code, "payment_method": method}, format="json", **headers
    )


def balance(user) -> int:
    return SandboxInsuranceAccount.objects.get(user=user).balance_fen


def test_it_charges_covered_drugs_to_the_insurance_account_and_tells_the_machine_to_dispense(
    as_user, insured, covered_only, machine
):
    response = dispense(as_user(insured), covered_only, machine)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "dispensing"
    assert body["payment"]["insurance_fen"] == 2500 and body["payment"]["cash_fen"] == 0
    assert body["payment"]["status"] == "succeeded" and body["payment"]["method"] == "insurance_account"
    assert body["pay_params"] == {}
    assert balance(insured) == 10_000 - 2500
    command = DeviceCommand.objects.get(pk=body["command"])
    assert (command.device_id, command.kind, command.status) == (machine.pk, "dispense", "pending")
    assert command.payload["items"] == [
        {
            "drug": covered_only.items.get().drug_id,
            "name": covered_only.items.get().drug.name,
            "specification": "10mg×30片",
            "quantity": 2,
        }
    ]
    covered_only.refresh_from_db()
    assert covered_only.status == "dispensing"


def test_it_makes_one_mixed_order_with_an_insurance_part_and_a_cash_part(as_user, insured, mixed, machine):
    response = dispense(as_user(insured), mixed, machine)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending_payment" and body["command"] is None
    assert (body["payment"]["amount_fen"], body["payment"]["insurance_fen"], body["payment"]["cash_fen"]) == (
        3150,
        2500,
        650,
    )
    assert body["pay_params"]["package"].startswith("prepay_id=")
    assert PaymentIntent.objects.count() == 1

    # The resident pays the cash part (the sandbox simulates WeChat Pay's callback): the machine is told.
    paid = as_user(insured).post(f"/api/v1/payments/{body['payment']['id']}/sandbox-complete/", {}, format="json")
    assert paid.status_code == 200, paid.content
    dispense_row = Dispense.objects.get(pk=body["id"])
    assert dispense_row.status == "dispensing" and dispense_row.command.kind == "dispense"


def test_it_charges_everything_in_cash_with_wechat_pay(as_user, insured, mixed, machine):
    body = dispense(as_user(insured), mixed, machine, method="wechat_pay").json()
    assert body["payment"]["method"] == "wechat_pay"
    assert (body["payment"]["insurance_fen"], body["payment"]["cash_fen"]) == (0, 3150)
    assert balance(insured) == 10_000


def test_the_ack_marks_the_prescription_dispensed_and_tells_the_resident(as_user, insured, covered_only, machine):
    body = dispense(as_user(insured), covered_only, machine).json()

    response = health.ack(machine, body["command"], "done")

    assert response.status_code == 200, response.content
    covered_only.refresh_from_db()
    assert covered_only.status == "dispensed" and covered_only.dispensed_at is not None
    assert Dispense.objects.get(pk=body["id"]).status == "dispensed"
    assert Notification.objects.filter(recipient=insured, kind="health.dispense.done").count() == 1
    assert as_user(insured).get(f"/api/v1/health/prescriptions/{covered_only.pk}/").json()["status"] == "dispensed"
    # The same ack again changes nothing.
    assert health.ack(machine, body["command"], "done").status_code == 200
    assert Notification.objects.filter(recipient=insured, kind="health.dispense.done").count() == 1


def test_a_failed_ack_refunds_both_parts_and_frees_the_prescription(as_user, insured, mixed, machine):
    body = dispense(as_user(insured), mixed, machine).json()
    as_user(insured).post(f"/api/v1/payments/{body['payment']['id']}/sandbox-complete/", {}, format="json")
    assert balance(insured) == 10_000 - 2500
    command = Dispense.objects.get(pk=body["id"]).command

    assert health.ack(machine, command.pk, "failed").status_code == 200

    intent = PaymentIntent.objects.get(pk=body["payment"]["id"])
    assert intent.refunded_fen == 3150
    refund = intent.refunds.get()
    assert (refund.cash_fen, refund.insurance_fen, refund.points_fen, refund.status) == (650, 2500, 0, "succeeded")
    assert balance(insured) == 10_000
    assert Dispense.objects.get(pk=body["id"]).status == "failed"
    mixed.refresh_from_db()
    assert mixed.status == "issued"
    kinds = set(Notification.objects.filter(recipient=insured).values_list("kind", flat=True))
    assert {"health.dispense.failed", "health.dispense.refunded"} <= kinds
    # Nothing more to give back: a second failure report changes nothing.
    assert health.ack(machine, command.pk, "failed").status_code == 200
    assert intent.refunds.count() == 1


def test_an_expired_command_refunds_both_parts(as_user, insured, mixed, machine):
    body = dispense(as_user(insured), mixed, machine).json()
    as_user(insured).post(f"/api/v1/payments/{body['payment']['id']}/sandbox-complete/", {}, format="json")

    assert device_commands_expire(now=timezone.now() + timedelta(days=1)) == 1

    intent = PaymentIntent.objects.get(pk=body["payment"]["id"])
    assert intent.refunded_fen == intent.amount_fen == 3150
    assert balance(insured) == 10_000
    assert Dispense.objects.get(pk=body["id"]).failure_reason == "售药机未响应"


def test_it_dispenses_a_prescription_at_most_once(as_user, insured, covered_only, machine):
    assert dispense(as_user(insured), covered_only, machine).status_code == 201
    again = dispense(as_user(insured), covered_only, machine)
    assert again.status_code == 409
    assert again.json()["code"] == "already_dispensed"
    health.ack(machine, DeviceCommand.objects.get().pk, "done")
    assert dispense(as_user(insured), covered_only, machine).json()["code"] == "already_dispensed"
    assert PaymentIntent.objects.count() == 1 and DeviceCommand.objects.count() == 1


def test_it_replays_the_first_answer_for_the_same_idempotency_key(as_user, insured, covered_only, machine):
    client = as_user(insured)
    first = dispense(client, covered_only, machine, HTTP_IDEMPOTENCY_KEY="rx-1")
    second = dispense(client, covered_only, machine, HTTP_IDEMPOTENCY_KEY="rx-1")
    assert second.status_code == 201 and second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    other = dispense(client, covered_only, machine, method="wechat_pay", HTTP_IDEMPOTENCY_KEY="rx-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    assert PaymentIntent.objects.count() == 1


def test_it_refuses_an_expired_prescription(as_user, insured, machine):
    prescription = health.make_prescription(insured, valid_for=timedelta(minutes=-1))
    response = dispense(as_user(insured), prescription, machine)
    assert response.status_code == 409
    assert response.json()["code"] == "prescription_expired"
    assert not PaymentIntent.objects.exists()


def test_it_refuses_when_the_insurance_balance_is_too_low_and_keeps_nothing(as_user, insured, machine):
    prescription = health.make_prescription(insured, [(health.make_drug(coverage="B", price_fen=20_000), 1)])
    response = dispense(as_user(insured), prescription, machine)
    assert response.status_code == 409
    assert response.json()["code"] == "insurance_balance_insufficient"
    assert response.json()["message"]
    assert balance(insured) == 10_000
    assert not PaymentIntent.objects.exists() and not Dispense.objects.exists()
    prescription.refresh_from_db()
    assert prescription.status == "issued"


def test_an_unpaid_cash_part_frees_the_prescription_and_gives_the_insurance_part_back(as_user, insured, mixed, machine):
    from linli.payments.services import payment_intents_close_expired

    body = dispense(as_user(insured), mixed, machine).json()
    assert balance(insured) == 10_000 - 2500

    assert payment_intents_close_expired(now=timezone.now() + timedelta(hours=1)) == 1

    assert balance(insured) == 10_000
    assert Dispense.objects.get(pk=body["id"]).status == "cancelled"
    mixed.refresh_from_db()
    assert mixed.status == "issued"
    assert dispense(as_user(insured), mixed, machine).status_code == 201


def test_it_only_uses_online_drug_machines_of_the_residents_community(
    as_user, insured, covered_only, other_community, community
):
    elsewhere = health.make_drug_machine(other_community)
    response = dispense(as_user(insured), covered_only, elsewhere)
    assert response.status_code == 400 and "device" in response.json()["fields"]
    kiosk = health.make_kiosk(community)
    assert dispense(as_user(insured), covered_only, kiosk).status_code == 400
    offline = health.make_drug_machine(community, online=False)
    response = dispense(as_user(insured), covered_only, offline)
    assert response.status_code == 409 and response.json()["code"] == "device_unavailable"
    assert not PaymentIntent.objects.exists()


def test_someone_elses_prescription_is_not_found(as_user, neighbour, covered_only, machine):
    assert dispense(as_user(neighbour), covered_only, machine).status_code == 404


def test_the_expiry_job_leaves_a_prescription_being_dispensed_alone(as_user, insured, covered_only, machine):
    from health.services.consultations import prescriptions_expire

    dispense(as_user(insured), covered_only, machine)
    Prescription.objects.filter(pk=covered_only.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    prescriptions_expire()
    covered_only.refresh_from_db()
    assert covered_only.status == "dispensing"


def test_a_rice_mill_dispense_ack_is_not_mistaken_for_a_drug_dispense(community):
    from linli.devices.services import device_command_ack, device_command_create

    machine = health.make_drug_machine(community)
    command = device_command_create(device=machine, kind="dispense", payload={"order": 1})
    device_command_ack(device=machine, command_id=command.pk, status="failed")
    assert not Dispense.objects.exists()
