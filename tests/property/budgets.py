"""Quality-gate registrations for the property endpoints (see tests/quality/registry.py)."""

from linli.accounts.models import Role
from property.models import FeeItem
from property.services import bills as services
from property.services import vehicles as vehicle_services
from tests import factories
from tests.property import factories as pf
from tests.property import gate_budgets
from tests.property.gate_factories import make_pass


def _estate(community):
    return pf.make_estate(community)


def _my_room(persona):
    """A room of the community whose household the persona (a resident) belongs to."""
    room = pf.make_room(_estate(persona.community))
    factories.grant(
        persona.user,
        Role.RESIDENT,
        community=persona.community,
        scope_type=_room_type(),
        scope_id=room.pk,
        position="owner",
    )
    return room


def _room_type():
    from django.contrib.contenttypes.models import ContentType

    from linli.regions.models import Room

    return ContentType.objects.get_for_model(Room)


def _paid(room, n):
    bills = pf.make_bills(room, n=n)
    return services.bills_record_offline(bills=bills, actor=None, method="cash", payer_name="住户")


def _vehicles(room, user, n, *, with_permit=True):
    estate = room.building.estate
    parking = estate.fee_items.filter(kind=FeeItem.Kind.PARKING).first() or pf.make_fee_item(
        estate, name="停车费", kind=FeeItem.Kind.PARKING, rate_fen=15000
    )
    vehicles = []
    for _ in range(n):
        vehicle = pf.make_vehicle(room, user)
        if with_permit and parking:
            vehicle_services.permit_request(vehicle=vehicle, period=pf.PERIOD)
        vehicles.append(vehicle)
    return vehicles


# --- lists: maker(persona, n) creates n more rows the persona sees -------------------------------


def my_bills(persona, n):
    pf.make_bills(_my_room(persona), n=n)


def my_receipts(persona, n):
    room = _my_room(persona)
    for _ in range(n):
        _paid(room, 2)


def my_vehicles(persona, n):
    _vehicles(_my_room(persona), persona.user, n)


def community_bills(persona, n):
    room = pf.make_room(_estate(persona.community))
    bills = pf.make_bills(room, n=n)
    services.bills_record_offline(bills=bills[:1], actor=None, method="cash", payer_name="住户")


def community_receipts(persona, n):
    room = pf.make_room(_estate(persona.community))
    for _ in range(n):
        _paid(room, 2)


def community_vehicles(persona, n):
    room = pf.make_room(_estate(persona.community))
    _vehicles(room, pf.make_household(room), n)


LIST_DATA = {
    "/api/v1/property/bills/": ("resident", my_bills),
    "/api/v1/property/receipts/": ("resident", my_receipts),
    "/api/v1/property/vehicles/": ("resident", my_vehicles),
    "/api/v1/staff/property/bills/": ("staff", community_bills),
    "/api/v1/staff/property/receipts/": ("staff", community_receipts),
    "/api/v1/staff/property/vehicles/": ("staff", community_vehicles),
}


# --- other GETs: maker(persona) → path parameters of an object the persona may see -------------


def my_bill(persona):
    room = _my_room(persona)
    bill = pf.make_bills(room)[0]
    services.bill_adjust(bill=bill, actor=None, amount_fen=100, reason="调整")
    return {"id": bill.pk}


def my_receipt(persona):
    return {"id": _paid(_my_room(persona), 3).pk}


def my_vehicle(persona):
    return {"id": _vehicles(_my_room(persona), persona.user, 1)[0].pk}


def a_community_bill(persona):
    bill = pf.make_bills(pf.make_room(_estate(persona.community)))[0]
    services.bill_waive(bill=bill, actor=persona.user, reason="减免")
    return {"id": bill.pk}


def a_community_receipt(persona):
    return {"id": _paid(pf.make_room(_estate(persona.community)), 3).pk}


def a_community_vehicle(persona):
    room = pf.make_room(_estate(persona.community))
    return {"id": _vehicles(room, pf.make_household(room), 1)[0].pk}


def some_arrears(persona):
    estate = _estate(persona.community)
    for building in ("1幢", "2幢"):
        pf.make_room(estate, building=building)
    pf.make_bills(estate.buildings.first().rooms.first(), n=2)
    return {}


LIST_DATA |= gate_budgets.LIST_DATA  # visitors and the gate

DETAIL_BUDGETS = {
    # 1 token user, 1 the bill (room, building, estate, item, vehicle, receipt joined), 1 its history with actors
    "/api/v1/property/bills/{id}/": ("resident", my_bill, 3),
    # 1 token user, 1 the receipt (community, payer, staff joined), 1 its bills with their places
    "/api/v1/property/receipts/{id}/": ("resident", my_receipt, 3),
    # 1 token user, 1 the vehicle with its room, 1 its permits with their bills
    "/api/v1/property/vehicles/{id}/": ("resident", my_vehicle, 3),
    # 1 token user, 1 my roles, 1 the bill, 1 its history
    "/api/v1/staff/property/bills/{id}/": ("staff", a_community_bill, 4),
    # 1 token user, 1 my roles, 1 the receipt, 1 its bills
    "/api/v1/staff/property/receipts/{id}/": ("staff", a_community_receipt, 4),
    # 1 token user, 1 my roles, 1 the vehicle, 1 its permits
    "/api/v1/staff/property/vehicles/{id}/": ("staff", a_community_vehicle, 4),
    # 1 token user, 1 my roles, 1 unpaid bills grouped by building, 1 the buildings with their estates
    "/api/v1/staff/property/bills/arrears/": ("staff", some_arrears, 4),
    # 1 token user, 1 my roles, 1 bills grouped by estate and month
    "/api/v1/staff/property/bills/stats/": ("staff", some_arrears, 3),
}


def give_property(user):
    community = factories.make_community()
    room = pf.make_room(pf.make_estate(community))
    factories.grant(
        user, Role.RESIDENT, community=community, scope_type=_room_type(), scope_id=room.pk, position="owner"
    )
    bills = pf.make_bills(room, n=2)
    intent = services.bills_pay(user=user, bill_ids=[bills[0].pk])
    from linli.payments import services as payments

    payments.payment_sandbox_complete(intent=intent)
    vehicle_services.vehicle_register(user=user, room=room, plate="浙H9Q888", description="李秀英的红色小车")
    make_pass(user, room, visitor_name="李秀英的表妹", plate="浙H7T777")
    return ["李秀英的红色小车", "李秀英的表妹", "浙H7T777"]


DETAIL_BUDGETS |= gate_budgets.DETAIL_BUDGETS

PRIVACY_DATA = {"property": give_property}
# receipts with their community, vehicles with their places, bill steps, vehicle steps, visitor passes with their rooms
EXPORT_QUERIES = {"property": 5}
