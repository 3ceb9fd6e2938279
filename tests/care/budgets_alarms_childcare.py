"""Quality-gate registrations for 一键呼叫 and 托育 (merged into tests/care/budgets.py)."""

from django.utils import timezone

from care.models import Child
from care.services import childcare as services
from care.services.alarms import alarm_close, alarm_raise
from linli.accounts.models import Role
from tests import factories
from tests.care.factories_alarms import make_community_staff, make_sos_button
from tests.care.factories_childcare import make_application, make_child, make_class, months_ago
from tests.residents.factories import make_room


def _closed_alarm_of(elder, community):
    binding, _ = make_sos_button(community, elder=elder)
    alarm, _ = alarm_raise(binding=binding, kind="sos")
    staff = make_community_staff(community)
    alarm_close(alarm=alarm, actor=staff, outcome="false_alarm")
    return alarm


def _as_parent(persona):
    """The persona as a verified parent of a room in their community → the room."""
    from django.contrib.contenttypes.models import ContentType

    from linli.regions.models import Room

    room = make_room(persona.community)
    factories.grant(
        persona.user,
        Role.RESIDENT,
        community=persona.community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position="owner",
    )
    return room


def _enrolment_of(persona, klass=None):
    klass = klass or make_class(persona.community)
    _, child = make_child(persona.community, parent=persona.user, room=_as_parent(persona))
    return services.enrolment_apply(parent=persona.user, child=child, klass=klass, start_date=timezone.localdate())


# --- lists -----------------------------------------------------------------------------------


def staff_alarms(persona, n):
    for _ in range(n):
        binding, _ = make_sos_button(persona.community)
        alarm_raise(binding=binding, kind="sos")


def my_alarms(persona, n):
    for _ in range(n):
        _closed_alarm_of(persona.user, persona.community)


def classes(persona, n):
    for _ in range(n):
        make_class(persona.community)


def my_children(persona, n):
    room = _as_parent(persona)
    for _ in range(n):
        make_child(persona.community, parent=persona.user, room=room)


def my_enrolments(persona, n):
    klass = make_class(persona.community, capacity=100)
    for _ in range(n):
        _enrolment_of(persona, klass)


def my_bills(persona, n):
    klass = make_class(persona.community, capacity=100)
    reviewer = make_community_staff(persona.community)
    for _ in range(n):
        services.enrolment_approve(enrolment=_enrolment_of(persona, klass), reviewer=reviewer)
    services.fee_bills_generate()


def staff_enrolments(persona, n):
    klass = make_class(persona.community, capacity=100)
    for _ in range(n):
        make_application(klass)


LIST_DATA = {
    "/api/v1/staff/care/alarms/": ("staff", staff_alarms),
    "/api/v1/care/alarms/": ("resident", my_alarms),
    "/api/v1/care/childcare/classes/": ("resident", classes),
    "/api/v1/care/childcare/children/": ("resident", my_children),
    "/api/v1/care/childcare/enrolments/": ("resident", my_enrolments),
    "/api/v1/care/childcare/bills/": ("resident", my_bills),
    "/api/v1/staff/care/childcare/enrolments/": ("staff", staff_enrolments),
}


# --- other GETs ----------------------------------------------------------------------------------


def a_staff_alarm(persona):
    binding, _ = make_sos_button(persona.community)
    return {"id": alarm_raise(binding=binding, kind="sos")[0].pk}


def my_alarm(persona):
    return {"id": _closed_alarm_of(persona.user, persona.community).pk}


def a_class(persona):
    return {"id": make_class(persona.community).pk}


def my_child(persona):
    return {"id": make_child(persona.community, parent=persona.user, room=_as_parent(persona))[1].pk}


def my_enrolment(persona):
    return {"id": _enrolment_of(persona).pk}


def a_staff_enrolment(persona):
    return {"id": make_application(make_class(persona.community)).pk}


# Each budget: 1 the token's user, 1 their roles (scoping), then the object(s) and prefetches.
DETAIL_BUDGETS = {
    "/api/v1/staff/care/alarms/{id}/": ("staff", a_staff_alarm, 4),
    "/api/v1/care/alarms/{id}/": ("resident", my_alarm, 3),
    "/api/v1/care/childcare/classes/{id}/": ("resident", a_class, 3),
    "/api/v1/care/childcare/children/{id}/": ("resident", my_child, 2),
    "/api/v1/care/childcare/enrolments/{id}/": ("resident", my_enrolment, 3),
    "/api/v1/staff/care/childcare/enrolments/{id}/": ("staff", a_staff_enrolment, 4),
}

# Personal data of these parts of care, for tests/accounts/test_privacy.py (merged with home care's).


def give_alarms_and_children(user):
    community = factories.make_community()
    _closed_alarm_of(user, community)
    # Created directly: a residency scoped to a room would cost accounts' export one more query.
    Child.objects.create(
        parent=user, room=make_room(community), community=community, name="小葡萄", birth_date=months_ago(10)
    )
    return ["小葡萄"]
