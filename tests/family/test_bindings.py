"""Binding lifecycle through the API: ask, accept / decline / cancel, end, permissions, history."""

import pytest

from linli.family.models import FamilyBinding
from linli.notifications.models import Notification
from tests import factories
from tests.family.factories import bind, phone_of

URL = "/api/v1/family/bindings/"
Status = FamilyBinding.Status


@pytest.fixture
def elder(db):
    return factories.make_resident(display_name="王奶奶")


@pytest.fixture
def son(db):
    return factories.make_resident(display_name="王小明")


def ask(as_user, by, other, side="member", **extra):
    return as_user(by).post(URL, {"side": side, "phone": phone_of(other), **extra}, format="json")


def test_a_family_member_asks_and_the_elder_accepts_with_permissions(as_user, elder, son):
    response = ask(as_user, son, elder, relation="儿子", permissions={"act_for": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["principal"] is None and body["member"]["id"] == son.pk
    assert body["invitee"] == "139****" + phone_of(elder)[-4:]
    assert Notification.objects.filter(recipient=elder, kind="family.binding.requested").exists()

    waiting = as_user(elder).get(URL, {"waiting_for_me": "true"}).json()
    assert [b["id"] for b in waiting["results"]] == [body["id"]]
    accepted = as_user(elder).post(
        f"{URL}{body['id']}/accept/", {"permissions": {"act_for": True, "view_health": True}}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()
    data = accepted.json()
    assert data["status"] == "accepted" and data["principal"]["id"] == elder.pk and data["my_side"] == "principal"
    assert (data["act_for"], data["view_health"], data["pay_for"], data["receive_alerts"]) == (True, True, False, False)
    assert [(h["action"], h["actor"]["id"]) for h in data["history"]] == [("request", son.pk), ("accept", elder.pk)]
    assert Notification.objects.filter(recipient=son, kind="family.binding.accepted").exists()
    # Both sides see it, with the same history.
    assert as_user(son).get(f"{URL}{body['id']}/").json()["history"] == data["history"]


def test_the_elder_may_ask_too_and_the_member_accepts_the_proposed_permissions(as_user, elder, son):
    body = ask(as_user, elder, son, side="principal", permissions={"receive_alerts": True}).json()
    data = as_user(son).post(f"{URL}{body['id']}/accept/", {}, format="json").json()
    assert data["member"]["id"] == son.pk and data["receive_alerts"] is True and data["act_for"] is False


def test_the_answer_is_the_same_for_an_unregistered_phone(as_user, son):
    response = as_user(son).post(URL, {"side": "member", "phone": "13900000000"}, format="json")
    assert response.status_code == 201
    assert response.json()["principal"] is None and response.json()["invitee"] == "139****0000"
    # Whoever registers the number later finds the request waiting.
    later = factories.make_resident(phone="13900000000")
    assert as_user(later).get(URL).json()["count"] == 1


def test_an_unknown_user_id_gets_the_same_answer(as_user, son):
    response = as_user(son).post(URL, {"side": "member", "user": 999999}, format="json")
    assert response.status_code == 201 and response.json()["invitee"] == "999999"


def test_it_refuses_binding_oneself(as_user, son):
    response = as_user(son).post(URL, {"side": "member", "user": son.pk}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_it_refuses_a_second_live_binding_between_the_same_two(as_user, elder, son):
    bind(elder, son)
    response = as_user(son).post(URL, {"side": "member", "user": elder.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "binding_exists"
    # From the other direction by phone: the accept is refused.
    other_way = ask(as_user, elder, son, side="principal").json()
    refused = as_user(son).post(f"{URL}{other_way['id']}/accept/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "binding_exists"


def test_it_refuses_a_duplicate_pending_request(as_user, elder, son):
    ask(as_user, son, elder)
    response = ask(as_user, son, elder)
    assert response.status_code == 409 and response.json()["code"] == "binding_exists"


def test_the_other_side_declines(as_user, elder, son):
    body = ask(as_user, son, elder).json()
    data = as_user(elder).post(f"{URL}{body['id']}/decline/").json()
    assert data["status"] == "declined" and data["principal"]["id"] == elder.pk
    again = as_user(elder).post(f"{URL}{body['id']}/accept/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_the_requester_cannot_accept_their_own_request(as_user, elder, son):
    body = ask(as_user, son, elder).json()
    response = as_user(son).post(f"{URL}{body['id']}/accept/", {}, format="json")
    assert response.status_code == 404


def test_only_the_requester_cancels(as_user, elder, son):
    body = ask(as_user, son, elder).json()
    assert as_user(elder).post(f"{URL}{body['id']}/cancel/").status_code == 403
    assert as_user(son).post(f"{URL}{body['id']}/cancel/").json()["status"] == "cancelled"


def test_either_side_ends_a_binding_and_the_other_is_told(as_user, elder, son):
    binding = bind(elder, son)
    data = as_user(son).post(f"{URL}{binding.pk}/end/").json()
    assert data["status"] == "ended" and data["ended_at"]
    assert Notification.objects.filter(recipient=elder, kind="family.binding.ended").exists()
    # A new request may follow.
    assert ask(as_user, son, elder).status_code == 201


def test_only_the_principal_sets_permissions(as_user, elder, son):
    binding = bind(elder, son, pay_for=False)
    assert as_user(son).patch(f"{URL}{binding.pk}/", {"pay_for": True}, format="json").status_code == 403
    data = as_user(elder).patch(f"{URL}{binding.pk}/", {"pay_for": True, "act_for": False}, format="json").json()
    assert (data["pay_for"], data["act_for"], data["view_health"]) == (True, False, True)
    step = data["history"][-1]
    assert step["action"] == "set_permissions" and step["permissions"]["pay_for"] is True


def test_an_outsider_sees_nothing(as_user, elder, son):
    binding = bind(elder, son)
    outsider = factories.make_resident()
    assert as_user(outsider).get(f"{URL}{binding.pk}/").status_code == 404
    assert as_user(outsider).post(f"{URL}{binding.pk}/end/").status_code == 404
    assert as_user(outsider).get(URL).json()["count"] == 0


def test_the_lists_side_filter(as_user, elder, son):
    bind(elder, son)
    assert as_user(son).get(URL, {"side": "member"}).json()["count"] == 1
    assert as_user(son).get(URL, {"side": "principal"}).json()["count"] == 0
