"""Withdrawing for the elder (act_for): the step's actor is the family member and it joins the 代办记录."""

import pytest

from events import services as events
from health.services.appointments import appointment_book
from linli.family.models import FamilyAct
from residents import services as residents
from tests import factories
from tests.events.factories import make_event
from tests.family.factories import bind
from tests.health import factories as health
from tests.merchants.factories import make_merchant, make_order, make_product
from tests.residents.factories import make_category


def _registration(community, elder):
    return events.registration_create(event=make_event(community), user=elder), None


def _appointment(community, elder):
    return appointment_book(resident=elder, slot=health.make_slot(health.make_department())), None


def _work_order(community, elder):
    order = residents.work_order_submit(
        reporter=elder, kind="repair", category=make_category(), description="灯不亮", community=community
    )
    return order, {"reason": "已自己修好"}


def _market_order(community, elder):
    return make_order(elder, make_product(make_merchant(community))), None


CASES = {
    "registration": (_registration, lambda o: f"/api/v1/events/{o.event_id}/cancel-registration/"),
    "appointment": (_appointment, lambda o: f"/api/v1/health/appointments/{o.pk}/cancel/"),
    "work_order": (_work_order, lambda o: f"/api/v1/residents/work-orders/{o.pk}/cancel/"),
    "market_order": (_market_order, lambda o: f"/api/v1/market/orders/{o.pk}/cancel/"),
}


@pytest.mark.parametrize("act_for", [True, False], ids=["granted", "withheld"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_family_member_cancels_for_the_elder_only_with_act_for(as_user, community, elder, son, case, act_for):
    make, url = CASES[case]
    obj, body = make(community, elder)
    bind(elder, son, act_for=act_for)
    response = as_user(son).post(f"{url(obj)}?on_behalf_of={elder.pk}", body or {}, format="json")
    if not act_for:
        assert response.status_code == 403 and response.json()["code"] == "not_permitted"
        return
    assert response.status_code == 200, response.content
    last = obj.history.order_by("-created_at", "-id").first()
    assert last.actor_id == son.pk and last.to_status in ("cancelled", "closed")
    assert FamilyAct.objects.filter(actor=son, beneficiary=elder, object_id=obj.pk).exists()


def test_the_acts_list_filters_by_role_and_kind(as_user, community, elder, son):
    bind(elder, son)
    obj, _ = _registration(community, elder)
    FamilyAct.objects.create(
        actor=son,
        beneficiary=elder,
        kind="events.registration",
        object_type="events.registration",
        object_id=obj.pk,
        summary="报名",
    )
    FamilyAct.objects.create(
        actor=elder,
        beneficiary=son,
        kind="health.appointment",
        object_type="health.appointment",
        object_id=1,
        summary="预约",
    )
    client = as_user(son)
    assert [r["kind"] for r in client.get("/api/v1/family/acts/", {"role": "actor"}).json()["results"]] == [
        "events.registration"
    ]
    assert [r["kind"] for r in client.get("/api/v1/family/acts/", {"role": "beneficiary"}).json()["results"]] == [
        "health.appointment"
    ]
    assert client.get("/api/v1/family/acts/", {"kind": "health"}).json()["count"] == 1
    assert as_user(factories.make_resident()).get("/api/v1/family/acts/").json()["count"] == 0
