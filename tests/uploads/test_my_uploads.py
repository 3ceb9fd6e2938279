import pytest
from django.core.files.storage import default_storage

from linli.uploads.models import Upload
from tests import factories
from tests.uploads.images import image_bytes

URL = "/api/v1/uploads/"
pytestmark = pytest.mark.django_db


def test_the_owner_sees_an_upload(as_user, resident):
    upload = factories.make_upload(resident, width=640, height=480)
    body = as_user(resident).get(f"{URL}{upload.pk}/").json()
    assert body["id"] == upload.pk
    assert (body["width"], body["height"]) == (640, 480)
    assert body["url"] == f"http://testserver/media/{upload.file.name}"


def test_someone_elses_upload_is_404(as_user, resident):
    upload = factories.make_upload(factories.make_resident())
    response = as_user(resident).get(f"{URL}{upload.pk}/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到"}


def test_the_list_shows_only_my_uploads_newest_first(as_user, resident):
    older = factories.make_upload(resident)
    newer = factories.make_upload(resident, purpose=Upload.Purpose.REPORT)
    factories.make_upload(factories.make_resident())
    body = as_user(resident).get(URL).json()
    assert [u["id"] for u in body["results"]] == [newer.pk, older.pk]
    assert [u["id"] for u in as_user(resident).get(URL, {"purpose": "report"}).json()["results"]] == [newer.pk]


def test_anonymous_clients_see_nothing(api, resident):
    upload = factories.make_upload(resident)
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{upload.pk}/").status_code == 401


def test_deleting_an_upload_deletes_its_file_once_committed(resident, django_capture_on_commit_callbacks):
    upload = factories.make_upload(resident, image=image_bytes())
    name = upload.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload.delete()
    assert default_storage.exists(name), "not before the commit"
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)
