from datetime import date, timedelta

import pytest
import time_machine
from rest_framework_simplejwt.tokens import AccessToken

from linli.accounts.models import Role
from tests import factories

URL = "/api/v1/me/"
pytestmark = pytest.mark.django_db


def test_it_shows_profile_roles_and_communities(as_user, community, other_community):
    user = factories.make_user(display_name="王芳", birth_date=date(1980, 5, 1))
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    factories.grant(user, Role.PROPERTY_MANAGER, community=other_community)
    factories.grant(user, Role.DOCTOR)
    body = as_user(user).get(URL).json()
    assert body["display_name"] == "王芳"
    assert body["age"] >= 46
    assert sorted(r["role"] for r in body["roles"]) == ["community_staff", "doctor", "property_manager"]
    assert sorted(c["name"] for c in body["communities"]) == ["斗潭社区", "白云社区"]
    doctor = next(r for r in body["roles"] if r["role"] == "doctor")
    assert doctor == {
        "id": doctor["id"],
        "role": "doctor",
        "role_display": "医生",
        "community": None,
        "street": None,
        "scope": None,
        "position": "",
    }


def test_a_role_on_a_scope_object_names_it(as_user, community):
    user = factories.make_user()
    street = community.street
    from django.contrib.contenttypes.models import ContentType

    factories.grant(
        user, Role.OFFICER, scope_type=ContentType.objects.get_for_model(street), scope_id=street.pk, position="leader"
    )
    role = as_user(user).get(URL).json()["roles"][0]
    assert role["scope"] == {"type": "regions.street", "id": street.pk, "name": str(street)}
    assert role["position"] == "leader"


def test_it_uses_a_fixed_number_of_queries(as_user, community, django_assert_num_queries):
    user = factories.make_user()
    for _ in range(5):
        factories.grant(user, Role.COMMUNITY_STAFF, community=factories.make_community())
    client = as_user(user)
    # 1 user for the token, 1 memberships with communities/streets/content types
    with django_assert_num_queries(2):
        client.get(URL)


def test_it_updates_the_profile(as_user, resident):
    response = as_user(resident).patch(URL, {"display_name": "张三", "birth_date": "1952-03-15"}, format="json")
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert (resident.display_name, resident.birth_date) == ("张三", date(1952, 3, 15))


def test_the_phone_is_read_only_in_the_profile(as_user, resident):
    response = as_user(resident).patch(URL, {"display_name": "张三", "phone": "13800000000"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] is None
    resident.refresh_from_db()
    assert (resident.display_name, resident.phone) == ("张三", None)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"birth_date": "not-a-date"}, "birth_date"),
        ({"birth_date": (date.today() + timedelta(days=2)).isoformat()}, "birth_date"),
        ({"avatar_url": "javascript:alert(1)"}, "avatar_url"),
        ({"avatar": "abc"}, "avatar"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"display_name": "系统管理员"}, "display_name"),
    ],
)
def test_it_rejects_bad_profile_values(as_user, resident, payload, field):
    response = as_user(resident).patch(URL, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_it_needs_a_token(api):
    response = api.get(URL)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录"}


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer a.b.c", "Bearer ", "Basic dXNlcjpwdw==", "Bearer x y"])
def test_it_rejects_forged_tokens(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_rejects_a_token_signed_with_another_key(api, resident):
    import jwt

    claims = dict(AccessToken.for_user(resident).payload)
    forged = jwt.encode(claims, "not-our-secret-but-long-enough-for-hs256-keys", algorithm="HS256")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert api.get(URL).status_code == 401


def test_it_rejects_expired_tokens(api, resident):
    token = str(AccessToken.for_user(resident))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    with time_machine.travel(timedelta(hours=2)):
        response = api.get(URL)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "登录已过期或令牌无效，请重新登录"}


def test_it_rejects_tokens_of_disabled_users(as_user, resident):
    client = as_user(resident)
    resident.is_active = False
    resident.save()
    assert client.get(URL).status_code == 401
