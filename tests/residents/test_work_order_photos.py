"""Work-order photos are the filer's own uploads: ids in, photo objects out, in the order given."""

from linli.accounts import privacy
from residents.models import WorkOrder
from tests import factories
from tests.residents import factories as rf

MINE, QUEUE = "/api/v1/residents/work-orders/", "/api/v1/staff/work-orders/"
NOT_YOURS = "图片不存在或不属于你"


def file(client, category, **extra):
    body = {"kind": "repair", "category": category.pk, "description": "楼道灯坏了", **extra}
    return client.post(MINE, body, format="json")


def test_it_attaches_my_uploads_and_shows_them_as_photos_in_my_order(as_user, owner, category):
    first, second = factories.make_upload(owner), factories.make_upload(owner)
    response = file(as_user(owner), category, photos=[second.pk, first.pk])
    assert response.status_code == 201, response.json()
    photos = response.json()["photos"]
    assert [p["id"] for p in photos] == [second.pk, first.pk]
    assert set(photos[0]) == {"id", "url", "width", "height"}
    assert photos[0]["url"] == f"http://testserver/media/{second.file.name}"
    detail = as_user(owner).get(f"{MINE}{response.json()['id']}/").json()
    assert [p["id"] for p in detail["photos"]] == [second.pk, first.pk]


def test_it_refuses_someone_elses_upload_like_an_unknown_one(as_user, owner, category, community):
    neighbour, _ = rf.make_verified_resident(community)
    theirs = factories.make_upload(neighbour)
    for photos in ([theirs.pk], [theirs.pk + 1000]):
        response = file(as_user(owner), category, photos=photos)
        assert response.status_code == 400
        assert response.json()["code"] == "validation_error"
        assert response.json()["fields"] == {"photos": [NOT_YOURS]}
    assert not WorkOrder.objects.exists()


def test_it_refuses_a_photo_url(as_user, owner, category):
    response = file(as_user(owner), category, photos=["http://169.254.169.254/latest/meta-data/"])
    assert response.status_code == 400
    assert response.json()["fields"] == {"photos": ["请先上传图片，再提交图片的 id"]}
    assert not WorkOrder.objects.exists()


def test_staff_filing_for_a_resident_attach_their_own_uploads(as_user, owner, category, staff):
    mine = factories.make_upload(staff)
    body = {"kind": "repair", "category": category.pk, "description": "电话报修", "reporter": owner.pk}
    refused = as_user(staff).post(QUEUE, {**body, "photos": [factories.make_upload(owner).pk]}, format="json")
    assert refused.status_code == 400
    response = as_user(staff).post(QUEUE, {**body, "photos": [mine.pk]}, format="json")
    assert response.status_code == 201, response.json()
    assert [p["id"] for p in response.json()["photos"]] == [mine.pk]


def test_the_handler_resolves_with_their_own_before_and_after_photos(as_user, owner, category, handler):
    order = rf.make_work_order(owner, category=category, upto="in_progress", handler=handler)
    before, after = factories.make_upload(handler), factories.make_upload(handler)
    refused = as_user(handler).post(
        f"{QUEUE}{order.pk}/resolve/", {"note": "修好了", "photos": [factories.make_upload(owner).pk]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"photos": [NOT_YOURS]}
    response = as_user(handler).post(
        f"{QUEUE}{order.pk}/resolve/", {"note": "修好了", "photos": [after.pk, before.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [p["id"] for p in response.json()["resolution_photos"]] == [after.pk, before.pk]


def test_a_deleted_accounts_photos_leave_the_order_and_the_export_listed_them(as_user, owner, category):
    upload = factories.make_upload(owner)
    pk = file(as_user(owner), category, photos=[upload.pk]).json()["id"]
    exported = privacy.export_user_data(owner)
    assert exported["residents"]["work_orders"][0]["photos"] == [upload.pk]
    assert [f["id"] for f in exported["uploads"]["files"]] == [upload.pk]

    privacy.erase_user(user=owner)
    order = WorkOrder.objects.get(pk=pk)
    assert list(order.photos.all()) == []
    assert order.description == "（用户已注销）"
