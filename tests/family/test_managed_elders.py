"""Managed elders: registered by community staff with a guardian; they cannot log in; their guardian
acts for them and sets the permissions of other family members."""

import pytest

from linli.accounts.models import Membership, Role
from linli.family.models import FamilyBinding, ManagedElder
from tests import factories
from tests.events.factories import make_staff
from tests.family.factories import phone_of

URL = "/api/v1/staff/family/managed-elders/"


@pytest.fixture
def staff(community):
    return make_staff(community)


def create(as_user, staff, community, guardian, **extra):
    body = {
        "community": community.pk,
        "display_name": "李爷爷",
        "birth_date": "1938-03-02",
        "guardian_phone": phone_of(guardian),
        "relation": "女儿",
        **extra,
    }
    return as_user(staff).post(URL, body, format="json")


def test_staff_register_a_managed_elder_with_a_guardian(as_user, staff, community, son):
    response = create(as_user, staff, community, son)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["guardian"]["id"] == son.pk and body["guardian"]["relation"] == "女儿"
    elder = ManagedElder.objects.get(pk=body["id"]).user
    assert elder.phone is None and elder.wechat_openid is None and not elder.has_usable_password()
    assert Membership.objects.filter(user=elder, role=Role.RESIDENT, community=community).exists()
    binding = FamilyBinding.objects.get(principal=elder)
    assert binding.status == "accepted" and binding.is_guardian
    assert all(binding.permissions().values())
    step = binding.history.get()
    assert (step.action, step.actor_id) == ("appoint_guardian", staff.pk)
    # The guardian acts for the elder at once.
    assert as_user(son).get(f"/api/v1/health/vitals/?on_behalf_of={elder.pk}").status_code == 200


def test_a_managed_elder_cannot_log_in(api, as_user, staff, community, son):
    create(as_user, staff, community, son)
    elder = ManagedElder.objects.get().user
    response = api.post("/api/v1/auth/token/", {"username": elder.username, "password": "anything"}, format="json")
    assert response.status_code in (400, 401)


def test_staff_of_another_community_cannot_register_here(as_user, community, son):
    elsewhere = make_staff(factories.make_community())
    response = create(as_user, elsewhere, community, son)
    assert response.status_code == 404
    assert not ManagedElder.objects.exists()


def test_staff_see_only_their_communities_managed_elders(as_user, staff, community, son):
    create(as_user, staff, community, son)
    elsewhere = make_staff(factories.make_community())
    assert as_user(staff).get(URL).json()["count"] == 1
    assert as_user(elsewhere).get(URL).json()["count"] == 0
    managed = ManagedElder.objects.get()
    assert as_user(elsewhere).get(f"{URL}{managed.pk}/").status_code == 404


def test_residents_cannot_use_the_staff_api(as_user, community, son):
    assert as_user(son).get(URL).status_code == 403


def test_an_unregistered_guardian_phone_is_a_validation_error(as_user, staff, community):
    body = {
        "community": community.pk,
        "display_name": "李爷爷",
        "birth_date": "1938-03-02",
        "guardian_phone": "13712345678",
    }
    response = as_user(staff).post(URL, body, format="json")
    assert response.status_code == 400 and "guardian_phone" in response.json()["fields"]


def test_the_guardian_answers_requests_to_the_elder_and_sets_permissions(as_user, staff, community, son, stranger):
    create(as_user, staff, community, son)
    elder = ManagedElder.objects.get().user
    asked = (
        as_user(stranger)
        .post("/api/v1/family/bindings/", {"side": "member", "user": elder.pk, "relation": "侄子"}, format="json")
        .json()
    )
    waiting = as_user(son).get("/api/v1/family/bindings/", {"waiting_for_me": "true"}).json()["results"]
    assert [b["id"] for b in waiting] == [asked["id"]]
    accepted = (
        as_user(son)
        .post(
            f"/api/v1/family/bindings/{asked['id']}/accept/", {"permissions": {"receive_alerts": True}}, format="json"
        )
        .json()
    )
    assert accepted["principal"]["id"] == elder.pk and accepted["member"]["id"] == stranger.pk
    assert accepted["receive_alerts"] is True and accepted["act_for"] is False
    changed = as_user(son).patch(f"/api/v1/family/bindings/{asked['id']}/", {"act_for": True}, format="json")
    assert changed.status_code == 200 and changed.json()["act_for"] is True
    assert (
        as_user(stranger).patch(f"/api/v1/family/bindings/{asked['id']}/", {"pay_for": True}, format="json").status_code
        == 403
    )


def test_staff_hand_the_elder_to_another_guardian(as_user, staff, community, son, stranger):
    create(as_user, staff, community, son)
    managed = ManagedElder.objects.get()
    response = as_user(staff).post(
        f"{URL}{managed.pk}/guardian/", {"guardian_phone": phone_of(stranger)}, format="json"
    )
    assert response.status_code == 200 and response.json()["guardian"]["id"] == stranger.pk
    assert as_user(son).get(f"/api/v1/health/vitals/?on_behalf_of={managed.user_id}").status_code == 403
    assert as_user(stranger).get(f"/api/v1/health/vitals/?on_behalf_of={managed.user_id}").status_code == 200
