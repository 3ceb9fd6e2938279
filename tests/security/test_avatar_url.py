"""Finding 9 of the security review: `avatar_url` took any address (http://169.254.169.254/…), which
every client showing the avatar — and anything on the server that fetches it — would request.

Now an avatar is one of the user's own uploads, given by id or by the URL the upload got."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://127.0.0.1:6379/",
        "https://cdn.example.cn/avatar/li.png",
        "http://testserver/static/admin/img/icon-yes.svg",
    ],
)
def test_it_refuses_addresses_that_are_not_our_uploads(as_user, resident, url):
    response = as_user(resident).patch(URL, {"avatar_url": url}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["avatar_url"]
    resident.refresh_from_db()
    assert resident.avatar_id is None


def test_it_refuses_the_url_of_someone_elses_upload(as_user, resident):
    theirs = factories.make_upload(factories.make_resident())
    response = as_user(resident).patch(URL, {"avatar_url": f"http://testserver{theirs.file.url}"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["avatar_url"]


def test_it_refuses_someone_elses_upload_id(as_user, resident):
    theirs = factories.make_upload(factories.make_resident())
    response = as_user(resident).patch(URL, {"avatar": theirs.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["avatar"]


def test_my_own_upload_becomes_my_avatar(as_user, resident):
    mine = factories.make_upload(resident)
    response = as_user(resident).patch(URL, {"avatar": mine.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["avatar"] == mine.pk
    assert response.json()["avatar_url"] == f"http://testserver{mine.file.url}"
