"""Demo of the 鉴湖国家湿地公园 between 陶堰 (east) and 皋埠 (west): the two townships' polygons,
the two wetland squads (陶堰's own and the one seconded from 皋埠), the village liaison stations
南湖村 and 横旦村 with a liaison officer each, and a duty roster for today. Idempotent; called by
enforcement/demo.py after the report history, so the history's routing stays as it was."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enforcement.models import Boundary, Empowerment, LiaisonStation, Matter, OfficerPosition, Shift, Team
from enforcement.services.geography import boundary_save
from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role
from linli.regions.models import Street


def _ring(*points):
    """A closed GeoJSON ring from (lat, lng) points (GeoJSON itself is [lng, lat])."""
    ring = [[lng, lat] for lat, lng in points]
    return [[*ring, ring[0]]]


# The shared border runs north–south along ≈120.686 E; 陶堰 east of it, 皋埠 west.
GAOBU = {"type": "Polygon", "coordinates": _ring(
    (29.975, 120.645), (29.968, 120.684), (29.995, 120.687), (30.028, 120.685), (30.030, 120.660), (30.005, 120.646)
)}  # fmt: skip
TAOYAN = {"type": "Polygon", "coordinates": _ring(
    (29.968, 120.684), (29.962, 120.740), (29.975, 120.778), (30.010, 120.775), (30.030, 120.755), (30.028, 120.685),
    (29.995, 120.687),
)}  # fmt: skip
# The wetland: each township's squad covers its side of the lake shore.
TAOYAN_WETLAND = {"type": "Polygon", "coordinates": _ring(
    (29.975, 120.685), (29.975, 120.720), (30.012, 120.720), (30.012, 120.686), (29.995, 120.687)
)}  # fmt: skip
GAOBU_WETLAND = {"type": "Polygon", "coordinates": _ring(
    (29.975, 120.650), (29.975, 120.6845), (29.995, 120.687), (30.015, 120.6855), (30.015, 120.650)
)}  # fmt: skip
NANHU = {
    "type": "Polygon",
    "coordinates": _ring((29.990, 120.655), (29.990, 120.675), (30.005, 120.675), (30.005, 120.655)),
}
HENGDAN = {
    "type": "Polygon",
    "coordinates": _ring((29.985, 120.700), (29.985, 120.720), (30.000, 120.720), (30.000, 120.700)),
}

# The other townships only roughly (a square around the team's seat), so that reports located there
# keep reaching their township: outside every polygon a report waits for the dispatcher.
ROUGH_TOWNSHIPS = [
    # street code, centre (lat, lng), half side in degrees
    ("fushan", (30.0005, 120.5783), 0.015),
    ("dongpu", (30.0471, 120.5184), 0.02),
    ("sunduan", (30.0733, 120.7075), 0.02),
    ("youhai", (29.9520, 120.6880), 0.009),
    ("fusheng", (29.9312, 120.7286), 0.01),
]


def _square(lat, lng, half):
    return {"type": "Polygon", "coordinates": _ring(
        (lat - half, lng - half), (lat - half, lng + half), (lat + half, lng + half), (lat + half, lng - half)
    )}  # fmt: skip


WETLAND_MATTERS = ["NY-001", "NY-002", "SL-001"]  # 违规捕捞, 电鱼炸鱼, 侵占河道
GAOBU_EMPOWERED_SINCE = date(2023, 5, 25)

SQUADS = [
    # code, name, street, seat (lat, lng), area
    ("team-taoyan-wetland", "陶堰街道鉴湖湿地执法中队", "taoyan", ("29.996000", "120.700500"), TAOYAN_WETLAND),
    ("team-gaobu-wetland", "皋埠街道鉴湖湿地执法中队（派驻）", "gaobu", ("30.002000", "120.668000"), GAOBU_WETLAND),
]

PEOPLE = [
    # username, display name, squad code, position, app position (lat, lng) or None
    ("officer_wetland_he", "湿地中队·何伟", "team-taoyan-wetland", "leader", ("30.004000", "120.695000")),
    ("officer_wetland_lu", "湿地中队·陆晨", "team-taoyan-wetland", "", ("29.985000", "120.712000")),
    ("officer_gaobu", "皋埠湿地中队·沈洁", "team-gaobu-wetland", "leader", None),
]

STATIONS = [
    # code, name, street, village name, village polygon, seat, liaison username, display name
    ("nanhu", "南湖村联络站", "gaobu", "南湖村", NANHU, ("29.997000", "120.665000"),
     "liaison_nanhu", "南湖村联络员·陈梅"),
    ("hengdan", "横旦村联络站", "taoyan", "横旦村", HENGDAN, ("29.992000", "120.710000"),
     "liaison_hengdan", "横旦村联络员·王刚"),
]  # fmt: skip


def _member(user, role, obj, street, position=""):
    Membership.objects.get_or_create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(obj),
        scope_id=obj.pk,
        defaults={"street": street, "position": position},
    )


def _roster(squad: Team, officers, today: date) -> None:
    """Today's day shift (08–20) with everyone, and the night shifts either side with the first."""
    tz = timezone.get_current_timezone()
    shifts = [
        (today - timedelta(days=1), time(20), time(8), officers[:1]),
        (today, time(8), time(20), officers),
        (today, time(20), time(8), officers[:1]),
    ]
    for day, start, end, people in shifts:
        starts_at = datetime.combine(day, start, tzinfo=tz)
        ends_at = datetime.combine(day + timedelta(days=1) if end <= start else day, end, tzinfo=tz)
        shift, created = Shift.objects.get_or_create(
            team=squad, starts_at=starts_at, defaults={"date": day, "ends_at": ends_at, "note": "演示排班"}
        )
        if created:
            shift.officers.set(people)


def seed(log) -> None:
    streets = {s.code: s for s in Street.objects.filter(code__in=["taoyan", "gaobu"])}
    boundary_save(kind=Boundary.Kind.TOWNSHIP, street=streets["gaobu"], geometry=GAOBU)
    boundary_save(kind=Boundary.Kind.TOWNSHIP, street=streets["taoyan"], geometry=TAOYAN)
    for code, (lat, lng), half in ROUGH_TOWNSHIPS:
        street = Street.objects.filter(code=code).first()
        if street is not None and not Boundary.objects.filter(kind=Boundary.Kind.TOWNSHIP, street=street).exists():
            boundary_save(kind=Boundary.Kind.TOWNSHIP, street=street, geometry=_square(lat, lng, half))
    matters = list(Matter.objects.filter(code__in=WETLAND_MATTERS))
    # 赋权 goes by 领域: 皋埠 gets every matter of the wetland matters' domains, as 陶堰 has them.
    for matter in Matter.objects.filter(domain__in={m.domain_id for m in matters}):
        Empowerment.objects.get_or_create(
            street=streets["gaobu"],
            matter=matter,
            since=GAOBU_EMPOWERED_SINCE,
            defaults={"document": "越政办发〔2023〕12 号 赋权清单（皋埠街道 鉴湖湿地派驻中队）"},
        )
    squads = {}
    for code, name, street_code, (lat, lng), area in SQUADS:
        squad, created = Team.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": Team.Kind.TOWNSHIP_TEAM,
                "street": streets[street_code],
                "lat": Decimal(lat),
                "lng": Decimal(lng),
                "phone": "0575-88000000",
                "accept_minutes": 10,
            },
        )
        if created:
            squad.matters.set(matters)
        if not squad.areas.exists():
            boundary_save(
                kind=Boundary.Kind.SQUAD, street=squad.street, team=squad, geometry=area, name=f"{name}责任区"
            )
        squads[code] = squad
    now = timezone.now()
    by_squad = {}
    for username, display_name, squad_code, position, place in PEOPLE:
        user = ensure_staff_user(username, display_name)
        squad = squads[squad_code]
        _member(user, Role.OFFICER, squad, squad.street, position)
        if (
            place is not None
            and not OfficerPosition.objects.filter(user=user, reported_at__gte=now - timedelta(hours=1)).exists()
        ):
            OfficerPosition.objects.update_or_create(
                user=user, defaults={"lat": Decimal(place[0]), "lng": Decimal(place[1]), "reported_at": now}
            )
        by_squad.setdefault(squad_code, []).append(user)
    today = timezone.localdate()
    for code, people in by_squad.items():
        _roster(squads[code], people, today)
    for code, name, street_code, village_name, polygon, (lat, lng), username, display_name in STATIONS:
        street = streets[street_code]
        village = boundary_save(kind=Boundary.Kind.VILLAGE, street=street, name=village_name, geometry=polygon)
        station, _ = LiaisonStation.objects.get_or_create(
            code=code,
            defaults={"name": name, "street": street, "village": village, "lat": Decimal(lat), "lng": Decimal(lng)},
        )
        _member(ensure_staff_user(username, display_name), Role.LIAISON_OFFICER, station, street)
    log(
        f"enforcement geography: {Boundary.objects.count()} boundaries, {len(squads)} wetland squads, "
        f"{LiaisonStation.objects.count()} liaison stations, {Shift.objects.count()} shifts"
    )
