"""GET /api/v1/enforcement/categories/ — the categories a resident can report, paginated like every list."""

from enforcement.models import Category, Domain, Matter
from tests import factories

CATEGORIES = "/api/v1/enforcement/categories/"


def make_category(code, **kw):
    domain, _ = Domain.objects.get_or_create(code="city", defaults={"name": "市容环境"})
    matter, _ = Matter.objects.get_or_create(code="M-1", defaults={"name": "占道经营", "domain": domain})
    return Category.objects.create(code=code, name=kw.pop("name", code), matter=matter, **kw)


def test_it_pages_the_public_categories(as_user, db):
    make_category("stall", name="占道经营", sort_order=1)
    make_category("litter", name="乱扔垃圾", sort_order=2)
    make_category("internal", is_public=False)
    response = as_user(factories.make_resident()).get(CATEGORIES, {"page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["previous"]) == (2, None)
    assert body["next"] is not None
    assert [row["code"] for row in body["results"]] == ["stall"]
    assert [row["code"] for row in as_user(factories.make_resident()).get(body["next"]).json()["results"]] == ["litter"]
