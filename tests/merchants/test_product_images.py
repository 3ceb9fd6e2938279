"""Product images are the shop member's own uploads: ids in, photo objects out, cover first."""

import pytest

from linli.accounts import privacy
from linli.uploads.models import Upload
from merchants.models import Product
from tests import factories
from tests.merchants.factories import make_owner, make_product

pytestmark = pytest.mark.django_db
MINE, MARKET = "/api/v1/merchant/products/", "/api/v1/market/products/"
NOT_YOURS = "图片不存在或不属于你"


@pytest.fixture
def shop(community):
    return make_owner(community)


def test_a_member_adds_a_product_with_their_own_images_cover_first(as_user, resident, shop):
    _merchant, owner = shop
    cover, side = (factories.make_upload(owner, purpose=Upload.Purpose.PRODUCT) for _ in range(2))
    response = as_user(owner).post(
        MINE, {"name": "衢州椪柑", "price_fen": 398, "images": [side.pk, cover.pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    images = response.json()["images"]
    assert [i["id"] for i in images] == [side.pk, cover.pk]
    assert set(images[0]) == {"id", "url", "width", "height"}
    assert images[0]["url"] == f"http://testserver/media/{side.file.name}"
    [listed] = as_user(resident).get(MARKET).json()["results"]
    assert [i["id"] for i in listed["images"]] == [side.pk, cover.pk]


def test_it_refuses_someone_elses_upload_and_a_url(as_user, resident, shop):
    _merchant, owner = shop
    body = {"name": "衢州椪柑", "price_fen": 398}
    for images in ([factories.make_upload(resident).pk], [999_999]):
        refused = as_user(owner).post(MINE, {**body, "images": images}, format="json")
        assert refused.status_code == 400
        assert refused.json()["fields"] == {"images": [NOT_YOURS]}
    url = as_user(owner).post(MINE, {**body, "images": ["http://169.254.169.254/latest/meta-data/"]}, format="json")
    assert url.status_code == 400 and list(url.json()["fields"]) == ["images"]
    assert not Product.objects.exists()


def test_changing_the_images_replaces_them_in_the_new_order_and_leaving_them_out_keeps_them(as_user, shop):
    merchant, owner = shop
    product = make_product(merchant)
    one, two = factories.make_upload(owner), factories.make_upload(owner)
    url = f"{MINE}{product.pk}/"
    assert as_user(owner).patch(url, {"images": [one.pk, two.pk]}, format="json").status_code == 200
    reordered = as_user(owner).patch(url, {"images": [two.pk, one.pk]}, format="json")
    assert [i["id"] for i in reordered.json()["images"]] == [two.pk, one.pk]
    kept = as_user(owner).patch(url, {"stock": 5}, format="json")
    assert [i["id"] for i in kept.json()["images"]] == [two.pk, one.pk]
    refused = as_user(owner).patch(
        url, {"images": [factories.make_upload(factories.make_resident()).pk]}, format="json"
    )
    assert refused.status_code == 400


def test_a_deleted_members_images_leave_the_product(as_user, shop):
    _merchant, owner = shop
    upload = factories.make_upload(owner)
    pk = (
        as_user(owner)
        .post(MINE, {"name": "发糕", "price_fen": 1800, "images": [upload.pk]}, format="json")
        .json()["id"]
    )
    assert [f["id"] for f in privacy.export_user_data(owner)["uploads"]["files"]] == [upload.pk]
    privacy.erase_user(user=owner)
    assert not Product.objects.get(pk=pk).images.exists()
