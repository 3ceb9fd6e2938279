"""Finding 9 of the security review: a resident could call themselves 「斗潭社区·王芳」 or 「系统管理员」
and so pose as staff, a community or the system next to what they post."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/"


@pytest.mark.parametrize(
    "name",
    [
        "系统管理员",
        "系统",
        "斗潭社区·王芳",
        "斗潭·王芳",
        "斗潭 | 王芳",
        "【官方】小李",
        "物业小王",
        "社区工作人员",
        "客服",
        "王医生",
        "执法队",
        "陶堰街道",
        "系\u200b统",  # a zero-width space hiding the word
        "系 统 管 理 员",
        "Admin",
        "sysadmin",
        "a d m i n 2",
        "ＡＤＭＩＮ",
    ],
)
def test_it_refuses_names_that_pose_as_staff_or_the_system(as_user, resident, community, name):
    community.street.name = "陶堰街道"
    community.street.save(update_fields=["name"])
    response = as_user(resident).patch(URL, {"display_name": name}, format="json")
    assert response.status_code == 400, name
    assert list(response.json()["fields"]) == ["display_name"]
    resident.refresh_from_db()
    assert resident.display_name == "张大爷"


def test_invisible_characters_are_removed(as_user, resident):
    response = as_user(resident).patch(URL, {"display_name": "王\u200b芳\u202e\u0007"}, format="json")
    assert response.status_code == 200
    assert response.json()["display_name"] == "王芳"
