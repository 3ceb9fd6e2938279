"""积分兑换 through the API: redeem (points and stock together), verify once, cancel returns both once."""

import pytest

from linli.points.models import PointsAccount, Redemption, RedemptionItem
from tests.merchants.factories import add_member, make_merchant
from tests.points.helpers import make_item, resident_with_points

CATALOGUE, MINE = "/api/v1/points/catalogue/", "/api/v1/points/redemptions/"
STAFF_REDEMPTIONS, MERCHANT = "/api/v1/staff/points/redemptions/", "/api/v1/merchant/points/redemptions/"


def balance(user) -> int:
    return PointsAccount.objects.get(user=user).balance


def stock(item) -> int:
    return RedemptionItem.objects.get(pk=item.pk).stock


def test_it_redeems_verifies_once_and_refuses_to_cancel_afterwards(as_user, community, staff):
    item = make_item(community, name="环保袋", points_price=120, stock=2)
    resident = resident_with_points(community, 300)

    response = as_user(resident).post(f"{CATALOGUE}{item.pk}/redeem/", headers={"Idempotency-Key": "r-1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["points"], body["item_name"], len(body["code"])) == ("pending", 120, "环保袋", 8)
    assert (balance(resident), stock(item)) == (180, 1)
    # A retried request replays the first answer and moves nothing.
    again = as_user(resident).post(f"{CATALOGUE}{item.pk}/redeem/", headers={"Idempotency-Key": "r-1"})
    assert again.json()["code"] == body["code"]
    assert (balance(resident), stock(item)) == (180, 1)

    verified = as_user(staff).post(f"{STAFF_REDEMPTIONS}verify/", {"code": body["code"].lower()}, format="json")
    assert verified.status_code == 200, verified.json()
    assert (verified.json()["status"], verified.json()["verified_by"]["id"]) == ("verified", staff.pk)
    twice = as_user(staff).post(f"{STAFF_REDEMPTIONS}verify/", {"code": body["code"]}, format="json")
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")
    late = as_user(resident).post(f"{MINE}{body['id']}/cancel/", {}, format="json")
    assert late.status_code == 409
    assert (balance(resident), stock(item)) == (180, 1)


def test_a_cancel_returns_points_and_stock_once(as_user, community, staff):
    item = make_item(community, points_price=100, stock=1)
    resident = resident_with_points(community, 100)
    pk = as_user(resident).post(f"{CATALOGUE}{item.pk}/redeem/").json()["id"]
    assert (balance(resident), stock(item)) == (0, 0)

    assert as_user(resident).post(f"{MINE}{pk}/cancel/", {"reason": "不需要了"}, format="json").status_code == 200
    assert as_user(staff).post(f"{STAFF_REDEMPTIONS}{pk}/cancel/", {}, format="json").status_code == 409
    assert (balance(resident), stock(item)) == (100, 1)
    assert list(Redemption.objects.get(pk=pk).history.values_list("action", flat=True)) == ["redeem", "cancel"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ({"points": 10}, "insufficient_points"),
        ({"stock": 0}, "out_of_stock"),
        ({"active": False}, None),  # out of the catalogue: 404
        ({"per_person_limit": 1, "twice": True}, "redemption_limit_reached"),
    ],
)
def test_it_refuses_a_redemption_and_changes_nothing(as_user, community, setup, code):
    item = make_item(
        community,
        points_price=50,
        stock=setup.get("stock", 5),
        active=setup.get("active", True),
        per_person_limit=setup.get("per_person_limit"),
    )
    resident = resident_with_points(community, setup.get("points", 500))
    if setup.get("twice"):
        assert as_user(resident).post(f"{CATALOGUE}{item.pk}/redeem/").status_code == 201
    before = (balance(resident), stock(item), Redemption.objects.count())

    response = as_user(resident).post(f"{CATALOGUE}{item.pk}/redeem/")

    assert response.status_code == (404 if code is None else 409)
    if code:
        assert response.json()["code"] == code
    assert (balance(resident), stock(item), Redemption.objects.count()) == before


def test_the_accepting_merchants_members_verify_its_voucher_and_no_one_elses(as_user, community, other_staff):
    market = make_merchant(community, name="回龙市集")
    other = make_merchant(community)
    seller, stranger = resident_with_points(community, 0), resident_with_points(community, 0)
    add_member(market, seller)
    add_member(other, stranger)
    voucher = make_item(community, kind="voucher", merchant=market, points_price=30)
    goods = make_item(community, points_price=30)
    resident = resident_with_points(community, 100)
    voucher_code = as_user(resident).post(f"{CATALOGUE}{voucher.pk}/redeem/").json()["code"]
    goods_code = as_user(resident).post(f"{CATALOGUE}{goods.pk}/redeem/").json()["code"]

    for who, code in [(stranger, voucher_code), (seller, goods_code)]:
        assert as_user(who).post(f"{MERCHANT}verify/", {"code": code}, format="json").status_code == 404
    elsewhere = as_user(other_staff).post(f"{STAFF_REDEMPTIONS}verify/", {"code": goods_code}, format="json")
    assert elsewhere.status_code == 404
    assert as_user(seller).get(MERCHANT).json()["count"] == 1
    response = as_user(seller).post(f"{MERCHANT}verify/", {"code": voucher_code}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "verified")
    assert "user" not in response.json()  # a merchant does not learn who redeemed
