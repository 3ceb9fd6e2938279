"""GET /api/v1/points/: my balance and my ledger, nobody else's."""

from linli.points.services import award, spend
from tests import factories

URL = "/api/v1/points/"


def test_it_shows_my_balance_and_entries_newest_first(as_user, resident):
    award(user=resident, amount=100, reason="志愿服务", idempotency_key="t:1")
    spend(user=resident, amount=30, reason="市集购物抵扣", idempotency_key="t:2")
    someone = factories.make_resident()
    award(user=someone, amount=999, reason="别人的", idempotency_key="t:3")

    body = as_user(resident).get(URL).json()
    assert body["balance"] == 70
    assert body["count"] == 2
    assert [(e["amount"], e["balance_after"], e["reason"]) for e in body["results"]] == [
        (-30, 70, "市集购物抵扣"),
        (100, 100, "志愿服务"),
    ]


def test_a_user_without_an_account_has_zero(as_user, resident):
    assert as_user(resident).get(URL).json() == {
        "balance": 0,
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_it_pages_the_ledger(as_user, resident):
    for n in range(3):
        award(user=resident, amount=1, reason="签到", idempotency_key=f"t:page:{n}")
    body = as_user(resident).get(URL, {"page_size": 2}).json()
    assert (body["balance"], body["count"], len(body["results"])) == (3, 3, 2)
    assert body["next"] is not None


def test_it_needs_a_login(api):
    assert api.get(URL).status_code == 401


def test_it_runs_the_same_queries_for_5_and_50_entries(as_user, resident, django_assert_num_queries):
    def fill(n):
        for i in range(n):
            award(user=resident, amount=1, reason="签到", idempotency_key=f"t:q:{n}:{i}")

    client = as_user(resident)
    fill(5)
    client.get(URL)  # warm the content-type cache
    # 1 token user, 1 count, 1 page of entries, 1 balance
    with django_assert_num_queries(4):
        assert len(client.get(URL, {"page_size": 100}).json()["results"]) == 5
    fill(45)
    with django_assert_num_queries(4):
        assert len(client.get(URL, {"page_size": 100}).json()["results"]) == 50
