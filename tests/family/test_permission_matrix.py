"""The family permission matrix, through the API: for every on-behalf action, a binding holding only
one permission (or none) is allowed exactly when that permission is the one the action needs, and a
refusal is 403 `not_permitted` that writes nothing."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from events.models import Registration
from health.models import Appointment, Consultation, VitalAccessLog
from linli.family.models import PERMISSION_FIELDS, FamilyAct
from linli.notifications.models import Notification
from merchants.models import Order
from residents.models import WorkOrder
from tests.events.factories import make_event
from tests.family.factories import bind
from tests.health import factories as health
from tests.merchants.factories import make_merchant, make_order, make_product
from tests.residents.factories import make_category


@dataclass
class Action:
    name: str
    needs: str
    call: Callable  # (client, world, query) -> response
    written: Callable  # (world) -> the object the action wrote for the elder, or None
    status: int = 201


def _register(client, w, q):
    return client.post(f"/api/v1/events/{w['event'].pk}/register/{q}", {"attendees": 1}, format="json")


def _book(client, w, q):
    return client.post(f"/api/v1/health/appointments/{q}", {"slot": w["slot"].pk}, format="json")


def _consult(client, w, q):
    body = {"department": w["department"].pk, "symptoms": "头晕两天", "photos": []}
    return client.post(f"/api/v1/health/consultations/{q}", body, format="json")


def _file(client, w, q):
    body = {"kind": "repair", "category": w["category"].pk, "description": "厨房水管漏水"}
    return client.post(f"/api/v1/residents/work-orders/{q}", body, format="json")


def _order(client, w, q):
    body = {"items": [{"product": w["product"].pk, "quantity": 1}]}
    return client.post(f"/api/v1/market/orders/{q}", body, format="json")


def _vitals(client, w, q):
    return client.get(f"/api/v1/health/vitals/{q}")


def _record(client, w, q):
    return client.get(f"/api/v1/health/records/fhir/{q}")


def _pay(client, w, q):
    return client.post(f"/api/v1/market/orders/{w['paid_by_son'].pk}/pay/{q}")


def _family_reads(w):
    return VitalAccessLog.objects.filter(resident=w["elder"], viewer=w["son"]).first()


ACTIONS = [
    Action("register", "act_for", _register, lambda w: Registration.objects.filter(user=w["elder"]).first()),
    Action("book", "act_for", _book, lambda w: Appointment.objects.filter(resident=w["elder"]).first()),
    Action("consult", "act_for", _consult, lambda w: Consultation.objects.filter(resident=w["elder"]).first()),
    Action("file_work_order", "act_for", _file, lambda w: WorkOrder.objects.filter(reporter=w["elder"]).first()),
    Action(
        "market_order",
        "act_for",
        _order,
        lambda w: Order.objects.filter(user=w["elder"]).exclude(pk=w["paid_by_son"].pk).first(),
    ),
    Action("read_vitals", "view_health", _vitals, _family_reads, status=200),
    Action("read_record", "view_health", _record, _family_reads, status=200),
    Action("pay_order", "pay_for", _pay, lambda w: "paid", status=200),
]
GRANTS = [*PERMISSION_FIELDS, None]  # each permission alone, and none at all


@pytest.fixture
def world(community, elder, son):
    department = health.make_department(health.make_clinic(community))
    product = make_product(make_merchant(community), stock=100)
    health.make_reading(elder, "blood_pressure", systolic=128, diastolic=82)
    return {
        "elder": elder,
        "son": son,
        "event": make_event(community, title="重阳节包饺子"),
        "department": department,
        "slot": health.make_slot(department),
        "category": make_category(name="水电"),
        "product": product,
        # An order the son placed earlier, to be paid by him (代付).
        "paid_by_son": make_order(elder, product, acted_by=son, paid_by=son),
    }


@pytest.mark.parametrize("grant", GRANTS, ids=lambda g: f"only-{g}")
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_each_action_needs_exactly_its_permission(as_user, world, action, grant):
    elder, son = world["elder"], world["son"]
    bind(elder, son, **{name: name == grant for name in PERMISSION_FIELDS})
    acts_before = FamilyAct.objects.count()

    response = action.call(as_user(son), world, f"?on_behalf_of={elder.pk}")

    if grant == action.needs:
        assert response.status_code == action.status, response.content
        assert action.written(world) is not None
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "not_permitted"
        assert FamilyAct.objects.count() == acts_before
        if action.needs != "pay_for":
            assert action.written(world) is None


@pytest.mark.parametrize("action", [a for a in ACTIONS if a.needs == "act_for"], ids=lambda a: a.name)
def test_an_on_behalf_write_records_actor_and_beneficiary(as_user, world, action):
    elder, son = world["elder"], world["son"]
    bind(elder, son, act_for=True)
    response = action.call(as_user(son), world, f"?on_behalf_of={elder.pk}")
    assert response.status_code == 201, response.content
    written = action.written(world)
    assert written.acted_by_id == son.pk
    first_step = written.history.order_by("created_at", "id").first()
    assert first_step.actor_id == son.pk
    act = FamilyAct.objects.get(object_id=written.pk, object_type=written._meta.label_lower)
    assert (act.actor_id, act.beneficiary_id) == (son.pk, elder.pk)
    assert Notification.objects.filter(recipient=elder, kind="family.act").exists()
    # Both timelines: the family 代办记录 of each side.
    for person in (elder, son):
        rows = as_user(person).get("/api/v1/family/acts/").json()["results"]
        assert (written._meta.label_lower, written.pk) in [(r["object_type"], r["object_id"]) for r in rows]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_a_stranger_or_an_unknown_id_gets_the_same_refusal(as_user, world, stranger, action):
    for target in (world["elder"].pk, 10**9):
        response = action.call(as_user(stranger), world, f"?on_behalf_of={target}")
        assert response.status_code == 403 and response.json()["code"] == "not_permitted"


def test_ending_the_binding_revokes_at_once(as_user, world):
    elder, son = world["elder"], world["son"]
    binding = bind(elder, son)
    client = as_user(son)
    assert _vitals(client, world, f"?on_behalf_of={elder.pk}").status_code == 200
    assert as_user(elder).post(f"/api/v1/family/bindings/{binding.pk}/end/").status_code == 200
    for action in ACTIONS:
        response = action.call(client, world, f"?on_behalf_of={elder.pk}")
        assert response.status_code == 403, action.name


def test_withdrawing_a_permission_revokes_at_once(as_user, world):
    elder, son = world["elder"], world["son"]
    binding = bind(elder, son)
    as_user(elder).patch(f"/api/v1/family/bindings/{binding.pk}/", {"act_for": False}, format="json")
    assert _register(as_user(son), world, f"?on_behalf_of={elder.pk}").status_code == 403
    assert _vitals(as_user(son), world, f"?on_behalf_of={elder.pk}").status_code == 200


def test_a_pending_request_grants_nothing(as_user, world):
    from linli.family import services
    from tests.family.factories import phone_of

    elder, son = world["elder"], world["son"]
    services.family_binding_request(
        by=son, side="member", phone=phone_of(elder), permissions=dict.fromkeys(PERMISSION_FIELDS, True)
    )
    assert _vitals(as_user(son), world, f"?on_behalf_of={elder.pk}").status_code == 403


def test_the_elder_is_never_the_member_side(as_user, world):
    """A binding is one-way: the elder cannot act for the son through it."""
    elder, son = world["elder"], world["son"]
    bind(elder, son)
    assert _vitals(as_user(elder), world, f"?on_behalf_of={son.pk}").status_code == 403


def test_a_malformed_id_is_a_validation_error(as_user, world):
    response = _vitals(as_user(world["son"]), world, "?on_behalf_of=abc")
    assert response.status_code == 400 and response.json()["fields"]["on_behalf_of"]


def test_an_endpoint_without_acting_refuses_the_parameter(as_user, world):
    elder, son = world["elder"], world["son"]
    bind(elder, son)
    response = as_user(son).post(f"/api/v1/market/orders/{world['paid_by_son'].pk}/review/?on_behalf_of={elder.pk}")
    assert response.status_code == 400 and "on_behalf_of" in response.json()["fields"]
