"""PATCH /api/v1/me/: display names that read as ordinary names, and avatars from my own uploads."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize(
    "name", ["王芳", "阿依古丽·买买提", "白云", "Lily Wang", "老张 2号", "快乐的小鱼", "Badminton爱好者"]
)
def test_ordinary_names_are_kept_as_typed(as_user, resident, community, other_community, name):
    response = as_user(resident).patch(URL, {"display_name": name}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["display_name"] == name


def test_a_name_of_only_invisible_characters_is_no_name(as_user, resident):
    response = as_user(resident).patch(URL, {"display_name": "\u200b\u3164"}, format="json")
    assert (response.status_code, response.json()["display_name"]) == (200, "")


def test_the_refusal_names_the_word(as_user, resident):
    response = as_user(resident).patch(URL, {"display_name": "物业小王"}, format="json")
    assert response.json()["fields"] == {"display_name": ["昵称不能冒充工作人员、官方或系统（含「物业」）"]}


def test_a_community_name_anywhere_is_refused(as_user, resident, community):
    response = as_user(resident).patch(URL, {"display_name": "家住斗潭社区"}, format="json")
    assert response.json()["fields"] == {"display_name": ["昵称不能包含社区或街道名称"]}


def test_the_admin_may_name_accounts_freely(admin_client, resident):
    from linli.accounts.models import User

    User.objects.filter(pk=resident.pk).update(display_name="系统通知")
    resident.refresh_from_db()
    assert resident.display_name == "系统通知"


def test_the_url_of_my_upload_sets_it_as_my_avatar(as_user, resident):
    mine = factories.make_upload(resident)
    response = as_user(resident).patch(URL, {"avatar_url": f"http://testserver{mine.file.url}"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["avatar"] == mine.pk
    resident.refresh_from_db()
    assert resident.avatar_id == mine.pk


@pytest.mark.parametrize("payload", [{"avatar": None}, {"avatar_url": ""}])
def test_null_or_empty_removes_my_avatar(as_user, resident, payload):
    resident.avatar = factories.make_upload(resident)
    resident.save(update_fields=["avatar"])
    response = as_user(resident).patch(URL, payload, format="json")
    assert (response.status_code, response.json()["avatar"], response.json()["avatar_url"]) == (200, None, "")


def test_avatar_and_a_different_avatar_url_together_are_refused(as_user, resident):
    a, b = factories.make_upload(resident), factories.make_upload(resident)
    response = as_user(resident).patch(
        URL, {"avatar": a.pk, "avatar_url": f"http://testserver{b.file.url}"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["avatar_url"]


def test_the_login_answer_shows_the_avatar_url(api, settings):
    user = factories.make_user(username="staff_avatar", password="demo12345", is_staff=True)
    user.avatar = factories.make_upload(user)
    user.save(update_fields=["avatar"])
    response = api.post("/api/v1/auth/token/", {"username": "staff_avatar", "password": "demo12345"}, format="json")
    assert response.json()["user"]["avatar_url"] == f"http://testserver{user.avatar.file.url}"
