import pytest

from tests import factories
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
