"""The pieces every endpoint is written with (linli/api): has_role(), ListFilterBackend, field_error()."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIRequestFactory

from linli.accounts.models import Role
from linli.api.errors import field_error
from linli.api.permissions import has_role, role_message
from linli.regions.models import Community
from tests import factories
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db


def _allows(permission_class, user) -> bool:
    request = APIRequestFactory().get("/")
    request.user = user
    return permission_class().has_permission(request, view=None)


def test_it_admits_holders_of_any_of_the_roles(community):
    manager = rf.make_property_manager(community)
    staff = factories.make_user()
    factories.grant(staff, Role.COMMUNITY_STAFF, community=community)
    permission = has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)
    assert _allows(permission, manager) and _allows(permission, staff)
    assert not _allows(permission, factories.make_resident())
    assert not _allows(has_role(Role.DOCTOR), staff)


def test_it_refuses_anonymous_users():
    assert not _allows(has_role(Role.COMMUNITY_STAFF), AnonymousUser())


def test_it_says_one_chinese_message_per_set_of_roles():
    assert has_role(Role.DOCTOR).message == "仅医生可以访问"
    assert has_role(Role.OFFICER, Role.GRID_WORKER).message == "仅执法人员、网格员可以访问"
    assert has_role(Role.COMMUNITY_STAFF).message == role_message(Role.COMMUNITY_STAFF) == "仅社区工作人员可以访问"
    assert has_role(Role.DOCTOR, message="只给医生").message == "只给医生"


def test_it_can_require_the_membership_to_be_scoped_to_a_model(community):
    scoped, unscoped = factories.make_user(), factories.make_user()
    factories.grant(
        scoped, Role.OFFICER, scope_type=ContentType.objects.get_for_model(Community), scope_id=community.pk
    )
    factories.grant(unscoped, Role.OFFICER)
    permission = has_role(Role.OFFICER, scope="regions.Community")
    assert _allows(permission, scoped)
    assert not _allows(permission, unscoped)


def test_it_lets_superusers_in_only_when_asked():
    root = factories.make_user(is_superuser=True, is_staff=True)
    assert not _allows(has_role(Role.OFFICER), root)
    assert _allows(has_role(Role.OFFICER, superuser=True), root)


def test_it_answers_403_with_the_roles_message(as_user, community):
    response = as_user(factories.make_resident()).get("/api/v1/staff/health/consultations/")
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": "仅医生可以访问"}


def test_it_filters_lists_but_not_the_objects_other_actions_work_on(as_user, community):
    owner, room = rf.make_verified_resident(community)
    order = rf.make_work_order(owner, room=room)
    client = as_user(owner)
    assert client.get("/api/v1/residents/work-orders/", {"status": "closed"}).json()["count"] == 0
    # The same query string on a detail or an action neither hides the order nor is validated.
    assert client.get(f"/api/v1/residents/work-orders/{order.pk}/", {"status": "closed"}).status_code == 200
    response = client.post(f"/api/v1/residents/work-orders/{order.pk}/cancel/?status=nonsense", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"


def test_it_still_validates_list_filters(as_user, community):
    owner, _ = rf.make_verified_resident(community)
    response = as_user(owner).get("/api/v1/residents/work-orders/", {"status": "nonsense"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]


def test_it_builds_a_validation_error_on_one_field():
    error = field_error("room", "只能为自己认证的房屋报修")
    assert (error.status_code, error.code, error.message) == (400, "validation_error", "只能为自己认证的房屋报修")
    assert error.fields == {"room": ["只能为自己认证的房屋报修"]}
