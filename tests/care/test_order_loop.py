"""A care order end to end through the API: subsidy first, the rest online, dispatch, check-in at the
home, check-out with photos, rating — and everyone concerned hears of each step."""

from datetime import timedelta

from django.utils import timezone

from care.models import CareOrder, SubsidyEntry
from linli.notifications.models import Notification
from linli.payments.models import PaymentIntent
from tests import factories
from tests.care import factories as cf

ORDERS = "/api/v1/care/orders/"


def place(client, service, *, hours=24, **extra):
    start = timezone.localtime(timezone.now() + timedelta(hours=hours)).isoformat()
    return client.post(
        ORDERS, {"service": service.pk, "scheduled_start": start, "note": "带防滑垫", **extra}, format="json"
    )


def test_a_care_order_goes_end_to_end_with_a_subsidy_part_and_a_cash_part(
    as_user, community, elder, bathing, manager, worker
):
    cf.give_subsidy(elder, community, amount_fen=3000)
    client = as_user(elder)

    placed = place(client, bathing)
    assert placed.status_code == 201, placed.json()
    body = placed.json()
    assert (body["status"], body["price_fen"], body["subsidy_fen"], body["cash_fen"]) == (
        "pending_payment",
        8000,
        3000,
        5000,
    )
    intent = PaymentIntent.objects.get(pk=body["payment"])
    parts = list(intent.parts.order_by("id").values_list("reference", "amount_fen", "settlement"))
    assert parts == [("subsidy", 3000, "settled_by_app"), ("self", 5000, "provider")]
    assert intent.cash_fen == 5000
    assert client.get("/api/v1/care/subsidy/").json()["balance_fen"] == 0

    pay = client.post(f"{ORDERS}{body['id']}/pay/")
    assert pay.status_code == 200
    assert (
        client.post(f"/api/v1/payments/{intent.pk}/sandbox-complete/", {"result": "success"}, format="json").status_code
        == 200
    )
    assert client.get(f"{ORDERS}{body['id']}/").json()["status"] == "placed"

    dispatched = as_user(manager).post(
        f"/api/v1/staff/care/provider-orders/{body['id']}/dispatch/", {"worker": worker.pk}, format="json"
    )
    assert dispatched.status_code == 200, dispatched.json()
    assert dispatched.json()["worker"]["id"] == worker.pk

    worker_client = as_user(worker)
    assert [o["id"] for o in worker_client.get("/api/v1/staff/care/assignments/").json()["results"]] == [body["id"]]
    near_gate = {"latitude": "28.955800", "longitude": "118.868900"}  # ~70 m from the gate
    checked_in = worker_client.post(f"/api/v1/staff/care/assignments/{body['id']}/check-in/", near_gate, format="json")
    assert checked_in.status_code == 200, checked_in.json()
    assert (checked_in.json()["status"], checked_in.json()["check_in_method"]) == ("in_service", "position")
    assert checked_in.json()["check_in_distance_m"] < 100

    photo = factories.make_upload(worker)
    done = worker_client.post(
        f"/api/v1/staff/care/assignments/{body['id']}/check-out/",
        {"service_note": "协助洗浴、更衣，检查皮肤无破损", "photos": [photo.pk]},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"
    assert [p["id"] for p in done.json()["photos"]] == [photo.pk]

    rated = client.post(f"{ORDERS}{body['id']}/rate/", {"rating": 5, "comment": "很细心"}, format="json")
    assert rated.status_code == 200
    detail = rated.json()
    assert (detail["status"], detail["rating"]) == ("rated", 5)
    assert [step["action"] for step in detail["timeline"]] == [
        "place",
        "pay",
        "dispatch",
        "check_in",
        "check_out",
        "rate",
    ]
    assert (
        client.post(f"{ORDERS}{body['id']}/rate/", {"rating": 1}, format="json").json()["code"] == "invalid_transition"
    )

    told_elder = set(Notification.objects.filter(recipient=elder).values_list("kind", flat=True))
    assert {"care.order_placed", "care.order_in_service", "care.order_done"} <= told_elder
    assert any(kind.startswith("care.order_dispatched") for kind in told_elder)
    assert Notification.objects.filter(recipient=manager, kind="care.order_placed").count() == 1
    assert Notification.objects.filter(recipient=worker, kind__startswith="care.order_assigned").count() == 1


def test_a_fully_subsidised_order_is_placed_at_once(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=20000)

    body = place(as_user(elder), bathing).json()

    assert (body["status"], body["subsidy_fen"], body["cash_fen"]) == ("placed", 8000, 0)
    assert PaymentIntent.objects.get(pk=body["payment"]).status == "succeeded"
    assert as_user(elder).get("/api/v1/care/subsidy/").json()["balance_fen"] == 12000


def test_a_service_not_eligible_for_the_subsidy_is_paid_in_full_online(as_user, community, elder, provider):
    cf.give_subsidy(elder, community, amount_fen=20000)
    companion = cf.make_service(provider, community, kind="companion", price_fen=12000, subsidy_eligible=False)

    body = place(as_user(elder), companion).json()

    assert (body["status"], body["subsidy_fen"], body["cash_fen"]) == ("pending_payment", 0, 12000)
    assert not SubsidyEntry.objects.filter(kind="spend").exists()


def test_it_refuses_an_elder_without_a_home_in_the_service_community(as_user, bathing, other_community):
    stranger = cf.make_elder(other_community)

    response = place(as_user(stranger), bathing)

    assert response.status_code == 400
    assert response.json()["code"] == "no_home_in_community"
    assert not CareOrder.objects.exists()


def test_it_refuses_a_start_in_the_past(as_user, elder, bathing):
    response = place(as_user(elder), bathing, hours=-1)

    assert response.status_code == 400
    assert "scheduled_start" in response.json()["fields"]


def test_the_same_idempotency_key_places_one_order(as_user, elder, bathing):
    client = as_user(elder)
    start = timezone.localtime(timezone.now() + timedelta(days=1)).isoformat()
    payload = {"service": bathing.pk, "scheduled_start": start}

    first = client.post(ORDERS, payload, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    again = client.post(ORDERS, payload, format="json", HTTP_IDEMPOTENCY_KEY="order-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert CareOrder.objects.count() == 1


def test_someone_elses_order_is_not_found(as_user, community, elder, bathing):
    order = cf.make_order(elder, bathing)
    neighbour = cf.make_elder(community)

    assert as_user(neighbour).get(f"{ORDERS}{order.pk}/").status_code == 404
    assert as_user(neighbour).post(f"{ORDERS}{order.pk}/cancel/", {}, format="json").status_code == 404
