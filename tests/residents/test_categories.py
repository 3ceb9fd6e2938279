"""Work-order categories: the same list for everyone, from the shared cache (residents/cache.py)."""

import pytest

from tests.residents import factories as rf

URL = "/api/v1/residents/work-order-categories/"
pytestmark = pytest.mark.django_db


def test_the_list_is_built_once_and_a_change_shows_at_once(as_user, owner, django_assert_num_queries):
    leak = rf.make_category(name="漏水")
    client = as_user(owner)
    assert [c["name"] for c in client.get(URL).json()["results"]] == ["漏水"]
    with django_assert_num_queries(1):  # the token's user; the list comes from the cache
        client.get(URL)

    leak.response_hours = 6
    leak.save()
    assert client.get(URL).json()["results"][0]["response_hours"] == 6

    leak.is_active = False
    leak.save()
    assert client.get(URL).json()["results"] == []
