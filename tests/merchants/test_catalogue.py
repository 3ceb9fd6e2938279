"""Products: merchants manage them; residents browse the market with filters."""

import pytest

from tests import factories
from tests.merchants.factories import add_member, make_merchant, make_owner, make_product

pytestmark = pytest.mark.django_db
PRODUCTS = "/api/v1/market/products/"


@pytest.fixture
def market(community, other_community):
    here, owner = make_owner(community)
    there = make_merchant(other_community)
    return {
        "owner": owner,
        "here": here,
        "ponkan": make_product(here, name="衢州椪柑", category="fruit_veg", price_fen=398),
        "cake": make_product(here, name="龙游发糕", category="pastry", price_fen=1800),
        "rice": make_product(there, name="春江月新米", category="grain_oil", price_fen=3500),
        "hidden": make_product(here, name="下架商品", is_on_shelf=False),
    }


def names(response):
    return sorted(p["name"] for p in response.json()["results"])


def test_residents_see_only_products_on_the_shelf(as_user, resident, market):
    assert names(as_user(resident).get(PRODUCTS)) == ["春江月新米", "衢州椪柑", "龙游发糕"]
    assert as_user(resident).get(f"{PRODUCTS}{market['hidden'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "pastry"}, ["龙游发糕"]),
        ({"search": "椪柑"}, ["衢州椪柑"]),
        ({"min_price_fen": 1000}, ["春江月新米", "龙游发糕"]),
        ({"max_price_fen": 1800}, ["衢州椪柑", "龙游发糕"]),
    ],
)
def test_the_market_filters_products(as_user, resident, market, params, expected):
    assert names(as_user(resident).get(PRODUCTS, params)) == expected


def test_the_market_filters_products_by_merchant_and_community(as_user, resident, market, other_community):
    client = as_user(resident)
    assert names(client.get(PRODUCTS, {"merchant": market["here"].pk})) == ["衢州椪柑", "龙游发糕"]
    assert names(client.get(PRODUCTS, {"community": other_community.pk})) == ["春江月新米"]


def test_the_market_lists_shops_of_a_community(as_user, resident, market, community):
    body = as_user(resident).get("/api/v1/market/merchants/", {"community": community.pk}).json()
    assert [m["id"] for m in body["results"]] == [market["here"].pk]


def test_a_member_adds_and_changes_products(as_user, market):
    clerk = factories.make_user()
    add_member(market["here"], clerk)
    client = as_user(clerk)
    created = client.post(
        "/api/v1/merchant/products/",
        {"name": "土鸡蛋", "price_fen": 1500, "unit": "10枚", "stock": 30, "points_price": 500},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["merchant"]["id"] == market["here"].pk
    url = f"/api/v1/merchant/products/{created.json()['id']}/"
    changed = client.patch(url, {"stock": 12, "is_on_shelf": False}, format="json")
    assert (changed.json()["stock"], changed.json()["is_on_shelf"]) == (12, False)
    too_many_points = client.patch(url, {"points_price": 2000}, format="json")
    assert too_many_points.status_code == 400


def test_a_member_of_several_shops_names_the_shop(as_user, market, community):
    make_merchant(community, owner=market["owner"])
    response = as_user(market["owner"]).post("/api/v1/merchant/products/", {"name": "x", "price_fen": 1}, format="json")
    assert response.status_code == 400
    assert "merchant" in response.json()["fields"]


def test_images_must_be_upload_ids_and_at_most_nine(as_user, market):
    client = as_user(market["owner"])
    body = {"name": "椪柑礼盒", "price_fen": 5000, "images": ["not an id"]}
    assert client.post("/api/v1/merchant/products/", body, format="json").status_code == 400
    body["images"] = [factories.make_upload(market["owner"]).pk for _ in range(10)]
    assert client.post("/api/v1/merchant/products/", body, format="json").status_code == 400
    body["images"] = body["images"][:9]
    assert client.post("/api/v1/merchant/products/", body, format="json").status_code == 201


# --- the shared product cards (merchants/cache.py) -------------------------------------------------


def stock_of(client, product, **params):
    return next(p["stock"] for p in client.get(PRODUCTS, params).json()["results"] if p["id"] == product.pk)


def test_the_cards_are_built_once_for_everyone(as_user, resident, market, django_assert_num_queries):
    as_user(resident).get(PRODUCTS)
    neighbour = as_user(factories.make_resident())
    with django_assert_num_queries(1):  # the token's user; the page comes from the shared cache
        assert names(neighbour.get(PRODUCTS)) == ["春江月新米", "衢州椪柑", "龙游发糕"]


def test_an_order_and_its_cancel_show_in_the_stock_at_once(as_user, resident, market):
    from merchants.services import order_cancel
    from tests.merchants.factories import make_order

    client, ponkan = as_user(resident), market["ponkan"]
    before = stock_of(client, ponkan)

    order = make_order(factories.make_resident(), ponkan, quantity=2)
    assert stock_of(client, ponkan) == before - 2

    order_cancel(order=order, by=order.user)
    assert stock_of(client, ponkan) == before


def test_a_product_or_shop_write_shows_at_once(as_user, resident, market):
    client, cake, here = as_user(resident), market["cake"], market["here"]
    client.get(PRODUCTS)

    cake.price_fen = 1500
    cake.save()
    assert next(p for p in client.get(PRODUCTS).json()["results"] if p["id"] == cake.pk)["price_fen"] == 1500

    here.status = type(here).Status.SUSPENDED
    here.save()
    assert names(client.get(PRODUCTS)) == ["春江月新米"]


def test_filters_and_pages_are_cached_apart(as_user, resident, market):
    client = as_user(resident)
    pastry, everything = client.get(PRODUCTS, {"category": "pastry"}).json(), client.get(PRODUCTS).json()

    assert [p["name"] for p in pastry["results"]] == ["龙游发糕"] and everything["count"] == 3
    assert client.get(PRODUCTS, {"category": "pastry"}).json() == pastry
