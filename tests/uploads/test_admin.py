import pytest

from enforcement.services.reports import report_submit
from linli.uploads.services import attachments_set
from tests import factories
from tests.enforcement.factories import make_world
from tests.merchants.factories import make_merchant, make_product
from tests.residents import factories as rf
from tests.uploads.images import image_bytes

pytestmark = pytest.mark.django_db


def test_staff_see_uploads_in_the_console_but_cannot_add_them(client, resident):
    upload = factories.make_upload(resident, image=image_bytes())
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    listing = client.get("/admin/uploads/upload/")
    assert listing.status_code == 200
    assert upload.file.name.rsplit("/", 1)[-1] in listing.content.decode()
    page = client.get(f"/admin/uploads/upload/{upload.pk}/change/")
    assert page.status_code == 200
    assert f'<img src="/media/{upload.file.name}"' in page.content.decode()
    assert client.get("/admin/uploads/upload/add/").status_code == 403


def test_the_console_shows_the_photos_of_work_orders_reports_and_products(client, community):
    resident, _ = rf.make_verified_resident(community)
    photo = factories.make_upload(resident)
    order = rf.make_work_order(resident, community=community, photos=[photo])
    report = report_submit(
        reporter=resident,
        category=make_world().fishing.categories.first(),
        description="地笼网",
        lat="30.018100",
        lng="120.701200",
        photos=[photo],
        ignore_duplicates=True,
    )
    product = make_product(make_merchant(community))
    attachments_set(product, "images", [photo])
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    for url in (
        f"/admin/residents/workorder/{order.pk}/change/",
        f"/admin/enforcement/problemreport/{report.pk}/change/",
        f"/admin/merchants/product/{product.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'<img src="/media/{photo.file.name}"' in page.content.decode(), url
