"""Merchant isolation: a member of one shop cannot read or act on another shop's products, orders,
members or invitations (404)."""

import pytest

from linli.accounts.models import Membership, Role
from merchants.models import MerchantInvitation, Order, Product
from merchants.services import merchant_invitation_create
from tests import factories
from tests.merchants.factories import add_member, make_owner, make_paid_order, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community):
    mine, me = make_owner(community)
    theirs, them = make_owner(community)
    buyer = factories.make_resident()
    invitation, _code = merchant_invitation_create(merchant=theirs, by=them, position="staff", phone="13700000001")
    return {
        "their_invitation": invitation,
        "their_owner": Membership.objects.get(user=them, role=Role.MERCHANT_MEMBER),
        "their_clerk": add_member(theirs, factories.make_resident(), "manager"),
        "me": me,
        "mine": mine,
        "theirs": theirs,
        "their_product": make_product(theirs),
        "their_order": make_paid_order(buyer, make_product(theirs)),
        "my_order": make_paid_order(buyer, make_product(mine)),
    }


def requests_on_another_shop(w):
    product, order = w["their_product"].pk, w["their_order"].pk
    return [
        ("get", f"/api/v1/merchant/products/{product}/", None),
        ("patch", f"/api/v1/merchant/products/{product}/", {"stock": 0}),
        ("get", f"/api/v1/merchant/orders/{order}/", None),
        ("post", f"/api/v1/merchant/orders/{order}/accept/", None),
        ("post", f"/api/v1/merchant/orders/{order}/ready/", None),
        ("post", f"/api/v1/merchant/orders/{order}/complete/", {"pickup_code": "123456"}),
        ("post", f"/api/v1/merchant/orders/{order}/refund/", {"amount_fen": 1, "reason": "试试"}),
        ("post", f"/api/v1/merchant/orders/{order}/settle/", {"items": []}),
        ("get", f"/api/v1/merchant/merchants/{w['theirs'].pk}/", None),
        ("get", "/api/v1/merchant/stats/?merchant=" + str(w["theirs"].pk), None),
        ("post", "/api/v1/merchant/invitations/", {"merchant": w["theirs"].pk, "phone": "13700000002"}),
        ("get", f"/api/v1/merchant/invitations/{w['their_invitation'].pk}/", None),
        ("post", f"/api/v1/merchant/invitations/{w['their_invitation'].pk}/revoke/", None),
        ("patch", f"/api/v1/merchant/members/{w['their_clerk'].pk}/", {"position": "staff"}),
        ("delete", f"/api/v1/merchant/members/{w['their_clerk'].pk}/", None),
        ("delete", f"/api/v1/merchant/members/{w['their_owner'].pk}/", None),
        (
            "post",
            f"/api/v1/merchant/merchants/{w['theirs'].pk}/transfer-ownership/",
            {"member": w["their_clerk"].pk},
        ),
    ]


@pytest.mark.parametrize("index", range(17))
def test_another_shops_objects_are_404_to_a_member(as_user, world, index):
    method, url, body = requests_on_another_shop(world)[index]
    client = as_user(world["me"])
    response = getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)
    assert response.status_code == 404, (method, url, response.content)
    assert response.json()["code"] == "not_found"
    product, order = world["their_product"], world["their_order"]
    assert Product.objects.get(pk=product.pk).stock == product.stock
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert MerchantInvitation.objects.get(merchant=world["theirs"]).status == "pending"
    assert dict(
        Membership.objects.filter(scope_id=world["theirs"].pk, role=Role.MERCHANT_MEMBER).values_list("pk", "position")
    ) == {world["their_owner"].pk: "owner", world["their_clerk"].pk: "manager"}


def test_lists_show_only_my_shops_rows(as_user, world):
    client = as_user(world["me"])
    assert [o["id"] for o in client.get("/api/v1/merchant/orders/").json()["results"]] == [world["my_order"].pk]
    products = {p["merchant"]["id"] for p in client.get("/api/v1/merchant/products/").json()["results"]}
    assert products == {world["mine"].pk}
    assert {m["merchant"] for m in client.get("/api/v1/merchant/members/").json()["results"]} == {world["mine"].pk}
    assert client.get("/api/v1/merchant/invitations/").json()["count"] == 0


def test_a_product_cannot_be_added_to_another_shop(as_user, world):
    response = as_user(world["me"]).post(
        "/api/v1/merchant/products/", {"merchant": world["theirs"].pk, "name": "冒充", "price_fen": 100}, format="json"
    )
    assert response.status_code == 400
    assert "merchant" in response.json()["fields"]


def test_a_resident_without_a_shop_sees_no_merchant_data(as_user, world):
    client = as_user(factories.make_resident())
    assert client.get("/api/v1/merchant/orders/").json()["count"] == 0
    assert client.get(f"/api/v1/merchant/orders/{world['their_order'].pk}/").status_code == 404
    assert client.get("/api/v1/merchant/stats/").status_code == 404
