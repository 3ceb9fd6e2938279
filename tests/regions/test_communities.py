import pytest

from tests import factories

URL = "/api/v1/communities/"
pytestmark = pytest.mark.django_db


def test_anyone_can_list_communities(api, community, other_community):
    body = api.get(URL).json()
    assert body["count"] == 2
    assert {c["name"] for c in body["results"]} == {"斗潭社区", "白云社区"}
    assert body["results"][0]["street"]["district"] == "柯城区"


def test_it_filters_by_street_district_and_search(api):
    baiyun = factories.make_street(code="baiyun", name="白云街道")
    taoyan = factories.make_street(code="taoyan", name="陶堰街道", city="绍兴市", district="越城区")
    factories.make_community(baiyun, name="回龙社区", address="回龙市集旁")
    factories.make_community(taoyan, name="陶堰社区")
    assert [c["name"] for c in api.get(URL, {"street": "baiyun"}).json()["results"]] == ["回龙社区"]
    assert [c["name"] for c in api.get(URL, {"district": "越城区"}).json()["results"]] == ["陶堰社区"]
    assert [c["name"] for c in api.get(URL, {"search": "市集"}).json()["results"]] == ["回龙社区"]


def test_it_shows_one_community(api, community):
    body = api.get(f"{URL}{community.pk}/").json()
    assert body["code"] == "doutan"


def test_an_unknown_community_is_404(api):
    response = api.get(f"{URL}999999/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到"}


def test_the_list_uses_two_queries_whatever_its_size(api, django_assert_num_queries):
    for _ in range(30):
        factories.make_community()
    with django_assert_num_queries(2):  # count + page with streets joined
        api.get(URL, {"page_size": 30})


def test_the_list_is_built_once_for_everyone_and_a_write_replaces_it(api, community, django_assert_num_queries):
    api.get(URL)
    with django_assert_num_queries(0):  # the shared page, from the cache
        assert api.get(URL).json()["results"][0]["name"] == "斗潭社区"

    community.name = "斗潭未来社区"
    community.save()

    assert api.get(URL).json()["results"][0]["name"] == "斗潭未来社区"


def test_a_street_write_replaces_the_cached_list(api, community):
    api.get(URL)

    community.street.district = "衢江区"
    community.street.save()

    assert api.get(URL).json()["results"][0]["street"]["district"] == "衢江区"


def test_each_filter_and_page_has_its_own_cached_answer(api):
    baiyun = factories.make_street(code="baiyun", name="白云街道")
    for n in range(3):
        factories.make_community(baiyun, name=f"白云{n}号社区")
    factories.make_community(name="陶堰社区")

    everyone = api.get(URL, {"page_size": 2}).json()
    in_baiyun = api.get(URL, {"street": "baiyun"}).json()
    second_page = api.get(URL, {"page_size": 2, "page": 2}).json()

    assert (everyone["count"], len(everyone["results"])) == (4, 2)
    assert everyone["next"].endswith("page=2&page_size=2")
    assert in_baiyun["count"] == 3 and all(c["name"].startswith("白云") for c in in_baiyun["results"])
    assert {c["id"] for c in second_page["results"]}.isdisjoint({c["id"] for c in everyone["results"]})
    # Served from the cache, each still answers as itself, links included.
    assert api.get(URL, {"page_size": 2}).json() == everyone
    assert api.get(URL, {"street": "baiyun"}).json() == in_baiyun


def test_a_page_past_the_end_stays_404_and_is_not_cached(api, community):
    assert api.get(URL, {"page": 9}).status_code == 404
    assert api.get(URL, {"page": 9}).status_code == 404
    assert api.get(URL, {"page": 1}).json()["count"] == 1
