"""Residents order at the market: stock, payment (sandbox), the order's life, cancellation, refunds, points."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.notifications.models import Notification
from linli.payments.models import PaymentIntent, Refund
from linli.payments.services import payment_intents_close_expired
from linli.points import services as points
from linli.points.models import PointsAccount
from merchants.models import Order, Product
from tests import factories
from tests.merchants.factories import make_order, make_owner, make_paid_order, make_product

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/market/orders/"


@pytest.fixture
def shop(community):
    merchant, owner = make_owner(community)
    return merchant, owner, make_product(merchant, name="衢州椪柑", price_fen=1280, stock=5, points_price=500)


def stock(product):
    return Product.objects.get(pk=product.pk).stock


def pay(client, order_id):
    params = client.post(f"{ORDERS}{order_id}/pay/").json()
    return client.post(params["sandbox_complete_url"], {"result": "success"}, format="json")


def test_the_whole_journey_from_onboarding_to_review(as_user, resident, community, staff):
    applicant = factories.make_user()
    application = (
        as_user(applicant)
        .post(
            "/api/v1/merchants/applications/",
            {
                "name": "回龙市集·老周鲜果",
                "community": community.pk,
                "category": "fruit_veg",
                "licence_number": "91330802MA2ABCDE1X",
                "contact_name": "周师傅",
                "contact_phone": "13905700001",
            },
            format="json",
        )
        .json()
    )
    as_user(staff).post(f"/api/v1/staff/merchant-applications/{application['id']}/approve/", {}, format="json")
    owner = as_user(applicant)
    product = owner.post(
        "/api/v1/merchant/products/",
        {"name": "常山胡柚", "price_fen": 1500, "unit": "袋", "stock": 8, "category": "fruit_veg"},
        format="json",
    )
    assert product.status_code == 201, product.content
    product_id = product.json()["id"]

    me = as_user(resident)
    created = me.post(
        ORDERS, {"items": [{"product": product_id, "quantity": 2}]}, format="json", HTTP_IDEMPOTENCY_KEY="o-1"
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert (order["status"], order["total_fen"], order["cash_fen"]) == ("pending_payment", 3000, 3000)
    assert order["expires_at"] is not None
    assert owner.get(f"/api/v1/merchant/products/{product_id}/").json()["stock"] == 6

    paid = pay(me, order["id"])
    assert paid.json()["status"] == "succeeded"
    assert me.get(f"{ORDERS}{order['id']}/").json()["status"] == "paid"
    assert owner.get("/api/v1/merchant/orders/", {"status": "paid"}).json()["count"] == 1

    merchant_orders = f"/api/v1/merchant/orders/{order['id']}"
    assert owner.post(f"{merchant_orders}/accept/").json()["status"] == "accepted"
    assert owner.post(f"{merchant_orders}/ready/").json()["status"] == "ready"
    wrong_code = f"{(int(order['pickup_code']) + 1) % 10**6:06d}"
    wrong = owner.post(f"{merchant_orders}/complete/", {"pickup_code": wrong_code}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "wrong_pickup_code"
    done = owner.post(f"{merchant_orders}/complete/", {"pickup_code": order["pickup_code"]}, format="json")
    assert done.json()["status"] == "completed"
    assert "pickup_code" not in done.json()

    review = me.post(f"{ORDERS}{order['id']}/review/", {"rating": 5, "content": "很甜"}, format="json")
    assert review.status_code == 201
    assert me.post(f"{ORDERS}{order['id']}/review/", {"rating": 4}, format="json").status_code == 409
    detail = me.get(f"{ORDERS}{order['id']}/").json()
    assert [(h["from_status"], h["to_status"]) for h in detail["history"]] == [
        ("", "pending_payment"),
        ("pending_payment", "paid"),
        ("paid", "accepted"),
        ("accepted", "ready"),
        ("ready", "completed"),
    ]
    assert detail["review"]["rating"] == 5
    shop = me.get("/api/v1/market/merchants/", {"community": community.pk}).json()["results"][0]
    assert (shop["rating"], shop["review_count"]) == (5.0, 1)
    kinds = set(Notification.objects.filter(recipient=resident).values_list("kind", flat=True))
    assert {"market.order_paid", "market.order_accepted", "market.order_ready", "market.order_completed"} <= kinds
    assert Notification.objects.filter(recipient=applicant, kind="market.merchant_order_paid").exists()


def test_the_same_idempotency_key_places_one_order(as_user, resident, shop):
    _, _, product = shop
    body = {"items": [{"product": product.pk, "quantity": 1}]}
    first = as_user(resident).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    second = as_user(resident).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert (Order.objects.count(), stock(product)) == (1, 4)


def test_more_than_the_stock_is_sold_out_and_reserves_nothing(as_user, resident, shop):
    merchant, _, product = shop
    other = make_product(merchant, stock=3)
    body = {"items": [{"product": other.pk, "quantity": 1}, {"product": product.pk, "quantity": 6}]}
    response = as_user(resident).post(ORDERS, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert (stock(product), stock(other), Order.objects.count()) == (5, 3, 0)


def test_an_order_is_one_merchants(as_user, resident, shop, community):
    _, _, product = shop
    elsewhere = make_product(make_owner(community)[0])
    body = {"items": [{"product": product.pk, "quantity": 1}, {"product": elsewhere.pk, "quantity": 1}]}
    assert as_user(resident).post(ORDERS, body, format="json").status_code == 400


def test_off_shelf_products_cannot_be_ordered(as_user, resident, shop):
    _, _, product = shop
    Product.objects.filter(pk=product.pk).update(is_on_shelf=False)
    response = as_user(resident).post(ORDERS, {"items": [{"product": product.pk, "quantity": 1}]}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "product_unavailable"


def test_delivery_needs_an_address(as_user, resident, shop):
    _, _, product = shop
    body = {"items": [{"product": product.pk, "quantity": 1}], "fulfilment": "delivery"}
    response = as_user(resident).post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert "address" in response.json()["fields"]


def test_cancelling_before_payment_gives_the_stock_back(as_user, resident, shop):
    _, _, product = shop
    order = make_order(resident, product, 2)
    assert stock(product) == 3
    response = as_user(resident).post(f"{ORDERS}{order.pk}/cancel/")
    assert response.json()["status"] == "cancelled"
    assert stock(product) == 5
    assert PaymentIntent.objects.get(pk=order.payment_intent_id).status == "closed"
    assert as_user(resident).post(f"{ORDERS}{order.pk}/cancel/").status_code == 409
    assert stock(product) == 5


def test_cancelling_a_paid_order_refunds_it_and_gives_the_stock_back(as_user, resident, shop):
    _, _, product = shop
    order = make_paid_order(resident, product, 2)
    response = as_user(resident).post(f"{ORDERS}{order.pk}/cancel/")
    assert response.json()["status"] == "refunded"
    assert response.json()["refunded_fen"] == 2560
    refund = Refund.objects.get()
    assert (refund.amount_fen, refund.status) == (2560, "succeeded")
    assert stock(product) == 5


def test_an_accepted_order_cannot_be_cancelled_by_the_resident(as_user, resident, shop):
    _, owner, product = shop
    order = make_paid_order(resident, product)
    as_user(owner).post(f"/api/v1/merchant/orders/{order.pk}/accept/")
    response = as_user(resident).post(f"{ORDERS}{order.pk}/cancel/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_an_unpaid_order_expires_after_15_minutes_and_gives_the_stock_back_once(resident, shop):
    _, _, product = shop
    order = make_order(resident, product, 3)
    assert payment_intents_close_expired(now=timezone.now() + timedelta(minutes=14)) == 0
    later = timezone.now() + timedelta(minutes=16)
    assert payment_intents_close_expired(now=later) == 1
    assert payment_intents_close_expired(now=later) == 0
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert order.history.last().note == "超时未支付，订单已取消"
    assert stock(product) == 5


def test_paying_a_cancelled_order_is_refused(as_user, resident, shop):
    _, _, product = shop
    order = make_order(resident, product)
    as_user(resident).post(f"{ORDERS}{order.pk}/cancel/")
    assert as_user(resident).post(f"{ORDERS}{order.pk}/pay/").status_code == 409


def test_a_duplicated_payment_callback_pays_once(as_user, resident, shop):
    _, _, product = shop
    order = make_order(resident, product)
    client = as_user(resident)
    url = client.post(f"{ORDERS}{order.pk}/pay/").json()["sandbox_complete_url"]
    client.post(url, {}, format="json")
    client.post(url, {}, format="json")
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.history.filter(to_status="paid").count() == 1
    assert Notification.objects.filter(recipient=resident, kind="market.order_paid").count() == 1


def test_points_pay_part_of_an_order_and_come_back_on_cancellation(as_user, resident, shop):
    _, _, product = shop
    points.award(user=resident, amount=1000, reason="志愿服务", idempotency_key="seed")
    body = {"items": [{"product": product.pk, "quantity": 1}], "points_to_use": 500}
    order = as_user(resident).post(ORDERS, body, format="json").json()
    assert (order["points_fen"], order["cash_fen"]) == (500, 780)
    assert PointsAccount.objects.get(user=resident).balance == 500
    pay(as_user(resident), order["id"])
    assert as_user(resident).post(f"{ORDERS}{order['id']}/cancel/").json()["status"] == "refunded"
    assert PointsAccount.objects.get(user=resident).balance == 1000


def test_points_cannot_exceed_the_products_points_price(as_user, resident, shop):
    _, _, product = shop
    points.award(user=resident, amount=5000, reason="志愿服务", idempotency_key="seed")
    body = {"items": [{"product": product.pk, "quantity": 2}], "points_to_use": 1001}
    response = as_user(resident).post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert "points_to_use" in response.json()["fields"]


def test_not_enough_points_places_nothing(as_user, resident, shop):
    _, _, product = shop
    body = {"items": [{"product": product.pk, "quantity": 1}], "points_to_use": 300}
    response = as_user(resident).post(ORDERS, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_points"
    assert (Order.objects.count(), stock(product)) == (0, 5)


def test_an_order_paid_entirely_with_points_is_paid_at_once(as_user, resident, shop):
    merchant, _, _ = shop
    egg = make_product(merchant, name="土鸡蛋", price_fen=300, points_price=300)
    points.award(user=resident, amount=600, reason="志愿服务", idempotency_key="seed")
    body = {"items": [{"product": egg.pk, "quantity": 2}], "points_to_use": 600}
    order = as_user(resident).post(ORDERS, body, format="json").json()
    assert (order["status"], order["cash_fen"]) == ("paid", 0)
    assert as_user(resident).post(f"{ORDERS}{order['id']}/pay/").json()["code"] == "already_paid"


def test_the_merchant_refunds_part_then_the_rest_and_never_more(as_user, resident, shop):
    _, owner, product = shop
    order = make_paid_order(resident, product, 2)
    url = f"/api/v1/merchant/orders/{order.pk}/refund/"
    partial = as_user(owner).post(url, {"amount_fen": 1000, "reason": "有一个坏了"}, format="json")
    assert partial.status_code == 200
    assert (partial.json()["status"], partial.json()["refunded_fen"]) == ("paid", 1000)
    too_much = as_user(owner).post(url, {"amount_fen": 1561, "reason": "再退"}, format="json")
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "refund_exceeds_paid"
    rest = as_user(owner).post(url, {"amount_fen": 1560, "reason": "缺货"}, format="json")
    assert (rest.json()["status"], rest.json()["refunded_fen"]) == ("refunded", 2560)
    assert stock(product) == 5
    notes = [h["note"] for h in rest.json()["history"]]
    assert "部分退款 10.00 元：有一个坏了" in notes


def test_a_refund_after_completion_keeps_the_stock_as_it_is(as_user, resident, shop):
    _, owner, product = shop
    order = make_paid_order(resident, product, 1)
    merchant_order = f"/api/v1/merchant/orders/{order.pk}"
    as_user(owner).post(f"{merchant_order}/accept/")
    as_user(owner).post(f"{merchant_order}/ready/")
    as_user(owner).post(f"{merchant_order}/complete/", {"pickup_code": order.pickup_code}, format="json")
    response = as_user(owner).post(f"{merchant_order}/refund/", {"amount_fen": 1280, "reason": "不新鲜"}, format="json")
    assert response.json()["status"] == "refunded"
    assert stock(product) == 4


def test_an_unpaid_order_cannot_be_refunded_or_accepted(as_user, resident, shop):
    _, owner, product = shop
    order = make_order(resident, product)
    url = f"/api/v1/merchant/orders/{order.pk}"
    assert as_user(owner).post(f"{url}/refund/", {"amount_fen": 1, "reason": "x"}, format="json").status_code == 409
    assert as_user(owner).post(f"{url}/accept/").status_code == 409


def test_only_completed_orders_can_be_reviewed(as_user, resident, shop):
    _, _, product = shop
    order = make_paid_order(resident, product)
    response = as_user(resident).post(f"{ORDERS}{order.pk}/review/", {"rating": 5}, format="json")
    assert response.status_code == 409


def test_my_orders_are_mine_alone(as_user, resident, shop):
    _, _, product = shop
    mine = make_order(resident, product)
    theirs = make_order(factories.make_resident(), product)
    client = as_user(resident)
    assert [o["id"] for o in client.get(ORDERS).json()["results"]] == [mine.pk]
    assert client.get(f"{ORDERS}{theirs.pk}/").status_code == 404
    assert client.post(f"{ORDERS}{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"{ORDERS}{theirs.pk}/pay/").status_code == 404


def test_an_impossible_product_id_is_a_validation_error(as_user, resident):
    body = {"items": [{"product": 10**30, "quantity": 1}]}
    response = as_user(resident).post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
