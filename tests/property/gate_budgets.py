"""Quality-gate registrations of the visitors-and-gate endpoints (merged into tests/property/budgets.py)."""

from tests import factories
from tests.property.gate_factories import make_gate, make_host, make_pass, make_pass_row
from tests.residents import factories as rf


def _host(persona):
    """The persona as a verified resident of a room of their community → the room."""
    room = rf.make_room(persona.community)
    from django.contrib.contenttypes.models import ContentType

    from linli.accounts.models import Role
    from linli.regions.models import Room

    factories.grant(
        persona.user,
        Role.RESIDENT,
        community=persona.community,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        position="owner",
    )
    return room


def _entries(host, room, n):
    _device, gate = make_gate(room.building.estate)
    ids = []
    for _ in range(n):
        visitor_pass = make_pass_row(host, room)
        ids.append(
            gate.post("/api/v1/devices/gate/verify/", {"code": visitor_pass.code}, format="json").json()["entry"]
        )
    return ids


def _staff_entries(persona, n):
    user, room = make_host(persona.community)
    return _entries(user, room, n)


# --- lists ---------------------------------------------------------------------------------------


def my_passes(persona, n):
    room = _host(persona)
    for _ in range(n):
        make_pass_row(persona.user, room)


def my_visitors_entries(persona, n):
    _entries(persona.user, _host(persona), n)


def staff_passes(persona, n):
    user, room = make_host(persona.community)
    for _ in range(n):
        make_pass_row(user, room)


def staff_entries(persona, n):
    ids = _staff_entries(persona, n)
    estate = rf.make_room(persona.community).building.estate
    if ids:  # walk-ins, registered by staff, in the same log
        from property.services.gate import walk_in_register

        walk_in_register(staff=persona.user, estate=estate, visitor_name="快递员", room=rf.make_room(persona.community))


def staff_plate_reads(persona, n):
    from django.utils import timezone

    from linli.devices.models import Device

    _user, room = make_host(persona.community)
    _device, camera = make_gate(room.building.estate, kind=Device.Kind.PLATE_CAMERA)
    for i in range(n):
        camera.post(
            "/api/v1/devices/events/",
            {
                "event_id": f"plate-{i}",
                "type": "plate.read",
                "occurred_at": timezone.now().isoformat(),
                "payload": {"plate": f"浙A{i:05d}"},
            },
            format="json",
        )


LIST_DATA = {
    "/api/v1/property/visitor-passes/": ("resident", my_passes),
    "/api/v1/property/visitor-entries/": ("resident", my_visitors_entries),
    "/api/v1/staff/property/visitor-passes/": ("staff", staff_passes),
    "/api/v1/staff/property/gate-entries/": ("staff", staff_entries),
    "/api/v1/staff/property/plate-reads/": ("staff", staff_plate_reads),
}


# --- details -------------------------------------------------------------------------------------


def my_pass(persona):
    return {"id": make_pass(persona.user, _host(persona)).pk}


def my_visitors_entry(persona):
    return {"id": _entries(persona.user, _host(persona), 1)[0]}


def a_pass_of_my_community(persona):
    user, room = make_host(persona.community)
    return {"id": make_pass(user, room).pk}


def an_entry_of_my_community(persona):
    return {"id": _staff_entries(persona, 1)[0]}


def a_plate_read_of_my_community(persona):
    staff_plate_reads(persona, 1)
    from property.models import PlateRead

    return {"id": PlateRead.objects.filter(community=persona.community).latest("id").pk}


DETAIL_BUDGETS = {
    # 1 token user, 1 the pass with estate and room → building → estate joined
    "/api/v1/property/visitor-passes/{id}/": ("resident", my_pass, 2),
    # 1 token user, 1 the entry with estate, device, room and registrar joined
    "/api/v1/property/visitor-entries/{id}/": ("resident", my_visitors_entry, 2),
    # 1 token user, 1 my roles (the staff check and my communities), 1 the pass with its host joined
    "/api/v1/staff/property/visitor-passes/{id}/": ("staff", a_pass_of_my_community, 3),
    # 1 token user, 1 my roles, 1 the entry with its places and people joined
    "/api/v1/staff/property/gate-entries/{id}/": ("staff", an_entry_of_my_community, 3),
    # 1 token user, 1 my roles, 1 the read with estate, device and entry joined
    "/api/v1/staff/property/plate-reads/{id}/": ("staff", a_plate_read_of_my_community, 3),
}
