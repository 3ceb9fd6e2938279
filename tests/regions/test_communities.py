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
