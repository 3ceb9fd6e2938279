"""Who sees and touches what: residents their communities' catalogue and their own redemptions, staff
their communities', merchant members their vouchers'; anything else is 404 (or 401/403 by role)."""

import pytest

from tests.merchants.factories import add_member, make_merchant
from tests.points.helpers import make_item, resident_with_points
from tests.support import personas

CATALOGUE, MINE = "/api/v1/points/catalogue/", "/api/v1/points/redemptions/"
ITEMS, REDEMPTIONS = "/api/v1/staff/points/items/", "/api/v1/staff/points/redemptions/"
MERCHANT = "/api/v1/merchant/points/redemptions/"


@pytest.fixture
def world(as_user, community, other_community):
    here, there = make_item(community, name="这里的"), make_item(other_community, name="那里的")
    me = resident_with_points(community, 500)
    neighbour = resident_with_points(community, 500)
    mine = as_user(me).post(f"{CATALOGUE}{here.pk}/redeem/").json()
    theirs = as_user(neighbour).post(f"{CATALOGUE}{here.pk}/redeem/").json()
    return {"here": here, "there": there, "me": me, "mine": mine, "theirs": theirs}


def test_a_resident_sees_their_communities_catalogue_and_their_own_redemptions(as_user, world):
    me = as_user(world["me"])
    assert [row["name"] for row in me.get(CATALOGUE).json()["results"]] == ["这里的"]
    assert me.get(f"{CATALOGUE}{world['there'].pk}/").status_code == 404
    assert me.post(f"{CATALOGUE}{world['there'].pk}/redeem/").status_code == 404
    assert [row["id"] for row in me.get(MINE).json()["results"]] == [world["mine"]["id"]]
    assert me.get(f"{MINE}{world['theirs']['id']}/").status_code == 404
    assert me.post(f"{MINE}{world['theirs']['id']}/cancel/", {}, format="json").status_code == 404
    for path in (ITEMS, REDEMPTIONS):
        assert me.get(path).status_code == 403
    assert me.get(MERCHANT).status_code == 403


def test_staff_see_and_change_only_their_communities(as_user, world, staff, other_staff, other_community):
    there = as_user(other_staff)
    assert [row["name"] for row in there.get(ITEMS).json()["results"]] == ["那里的"]
    assert there.get(f"{ITEMS}{world['here'].pk}/").status_code == 404
    assert there.patch(f"{ITEMS}{world['here'].pk}/", {"stock": 99}, format="json").status_code == 404
    assert there.get(REDEMPTIONS).json()["count"] == 0
    assert there.post(f"{REDEMPTIONS}{world['mine']['id']}/cancel/", {}, format="json").status_code == 404
    assert as_user(staff).get(REDEMPTIONS).json()["count"] == 2
    new = {"community": world["here"].community_id, "name": "别人的社区", "points_price": 10, "stock": 1}
    assert there.post(ITEMS, new, format="json").status_code == 404


def test_staff_manage_the_catalogue(as_user, community, staff):
    market = make_merchant(community, name="回龙市集")
    body = {"community": community.pk, "name": "市集 10 元券", "kind": "voucher", "points_price": 100, "stock": 20}
    refused = as_user(staff).post(ITEMS, body, format="json")
    assert (refused.status_code, list(refused.json()["fields"])) == (400, ["merchant_id"])
    body |= {"merchant_type": "merchants.merchant", "merchant_id": market.pk}
    created = as_user(staff).post(ITEMS, body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["merchant_name"], created.json()["merchant_type"]) == ("回龙市集", "merchants.merchant")
    changed = as_user(staff).patch(f"{ITEMS}{created.json()['id']}/", {"stock": 5, "active": False}, format="json")
    assert (changed.json()["stock"], changed.json()["active"], changed.json()["merchant_id"]) == (5, False, market.pk)
    missing = as_user(staff).post(ITEMS, {**body, "merchant_id": 10**9}, format="json")
    assert missing.status_code == 400


def test_merchant_members_list_only_their_vouchers(as_user, community):
    market = make_merchant(community)
    seller = personas.resident(None).user
    add_member(market, seller)
    make_item(community, kind="voucher", merchant=market)
    assert as_user(seller).get(MERCHANT).json()["count"] == 0
    assert as_user(seller).get(REDEMPTIONS).status_code == 403


def test_anonymous_callers_are_refused(api):
    for path in (CATALOGUE, MINE, ITEMS, REDEMPTIONS, MERCHANT, "/api/v1/points/statement/"):
        assert api.get(path).status_code == 401
