"""Enforcement factories: a small 越城区 (two townships, a district department, the command centre),
its people, and reports, inspections and cases in it."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from enforcement.models import Boundary, Category, Domain, Empowerment, Matter, ProblemReport, Target, Team
from enforcement.services import reports as report_services
from enforcement.services.geography import boundary_save
from linli.accounts.models import Membership, Role, User
from linli.regions.models import Street
from tests import factories

_seq = itertools.count(1)

# Team seats (驻地) and places near them.
TAOYAN_SEAT = (Decimal("30.017200"), Decimal("120.700100"))
FUSHAN_SEAT = (Decimal("30.000500"), Decimal("120.578300"))


def square(lat, lng, half: float = 0.02) -> dict:
    """A GeoJSON square around a point (±`half` degrees): a township in tests."""
    lat, lng = float(lat), float(lng)
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def make_team(*, kind=Team.Kind.DISTRICT_DEPARTMENT, street=None, **kw) -> Team:
    n = next(_seq)
    defaults = {"name": f"测试队伍{n}", "code": f"team-t{n}"}
    return Team.objects.create(kind=kind, street=street, **{**defaults, **kw})


def join(user: User, team: Team, role=Role.OFFICER, position: str = "") -> Membership:
    return Membership.objects.create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(Team),
        scope_id=team.pk,
        street=team.street,
        position=position,
    )


def make_member(team: Team, role=Role.OFFICER, position: str = "", **kw) -> User:
    user = factories.make_user(**kw)
    join(user, team, role, position)
    return user


def make_matter(domain: Domain, **kw) -> Matter:
    n = next(_seq)
    defaults = {"code": f"T-{n:03d}", "name": f"测试事项{n}", "legal_basis": "《测试法》第一条", "deadline_hours": 24}
    return Matter.objects.create(domain=domain, **{**defaults, **kw})


def make_category(matter: Matter, **kw) -> Category:
    n = next(_seq)
    return Category.objects.create(matter=matter, **{"code": f"cat-{n}", "name": f"分类{n}", **kw})


@dataclass
class World:
    taoyan: Street
    fushan: Street
    taoyan_team: Team
    fushan_team: Team
    agriculture: Team  # district department for fishing
    market: Team  # district department for food
    centre: Team
    fishing: Matter  # 陶堰 is empowered for it since 2023-01-01
    food: Matter  # nobody is empowered: always the district
    fishing_cat: Category
    food_cat: Category
    officer_taoyan: User
    leader_taoyan: User
    grid_taoyan: User
    officer_fushan: User
    officer_market: User
    officer_agriculture: User
    dispatcher: User


def make_world() -> World:
    taoyan = factories.make_street(name="陶堰街道", code="taoyan", city="绍兴市", district="越城区")
    fushan = factories.make_street(name="府山街道", code="fushan", city="绍兴市", district="越城区")
    agriculture = make_team(name="区农业农村局", code="yc-agri")
    market = make_team(name="区市场监管局", code="yc-market")
    centre = make_team(name="区指挥中心", code="yc-centre", kind=Team.Kind.COMMAND_CENTER)
    taoyan_team = make_team(
        name="陶堰综合执法队",
        code="team-taoyan",
        kind=Team.Kind.TOWNSHIP_TEAM,
        street=taoyan,
        lat=TAOYAN_SEAT[0],
        lng=TAOYAN_SEAT[1],
    )
    fushan_team = make_team(
        name="府山综合执法队",
        code="team-fushan",
        kind=Team.Kind.TOWNSHIP_TEAM,
        street=fushan,
        lat=FUSHAN_SEAT[0],
        lng=FUSHAN_SEAT[1],
    )
    for street, seat in ((taoyan, TAOYAN_SEAT), (fushan, FUSHAN_SEAT)):
        boundary_save(kind=Boundary.Kind.TOWNSHIP, street=street, geometry=square(*seat))
    agri_domain = Domain.objects.create(code="agriculture", name="农业农村", department=agriculture)
    market_domain = Domain.objects.create(code="market", name="市场监管", department=market)
    fishing = make_matter(agri_domain, code="NY-001", name="禁渔期违法捕捞", deadline_hours=24)
    food = make_matter(market_domain, code="SC-001", name="经营过期食品", deadline_hours=48)
    Empowerment.objects.create(street=taoyan, matter=fishing, since=date(2023, 1, 1))
    return World(
        taoyan=taoyan,
        fushan=fushan,
        taoyan_team=taoyan_team,
        fushan_team=fushan_team,
        agriculture=agriculture,
        market=market,
        centre=centre,
        fishing=fishing,
        food=food,
        fishing_cat=make_category(fishing, code="illegal_fishing", name="违规捕捞"),
        food_cat=make_category(food, code="food_safety", name="食品安全"),
        officer_taoyan=make_member(taoyan_team, username="officer_t"),
        leader_taoyan=make_member(taoyan_team, position="leader", username="leader_t"),
        grid_taoyan=make_member(taoyan_team, Role.GRID_WORKER, username="grid_t"),
        officer_fushan=make_member(fushan_team, username="officer_f"),
        officer_market=make_member(market, username="officer_m"),
        officer_agriculture=make_member(agriculture, username="officer_a"),
        dispatcher=make_member(centre, position="leader", username="dispatcher"),
    )


def make_report(
    world: World | None = None,
    *,
    category: Category,
    street: Street | None = None,
    reporter: User | None = None,
    lat=None,
    lng=None,
    channel=ProblemReport.Channel.RESIDENT,
    description: str = "岸边有人用地笼捕鱼",
) -> ProblemReport:
    return report_services.report_create(
        channel=channel,
        category=category,
        description=description,
        lat=lat,
        lng=lng,
        street=street,
        reporter=reporter,
    )


def make_target(street: Street, **kw) -> Target:
    n = next(_seq)
    defaults = {"name": f"测试商户{n}", "kind": Target.Kind.SHOP, "lat": TAOYAN_SEAT[0], "lng": TAOYAN_SEAT[1]}
    return Target.objects.create(street=street, **{**defaults, **kw})


# --- the 鉴湖 wetland between 陶堰 and 皋埠 (the demo's polygons) ----------------------------------

# Either side of the shared border (≈120.6866 E at 30.00 N), both inside the wetland squads' areas.
JUST_IN_GAOBU = (Decimal("30.000000"), Decimal("120.686000"))
JUST_IN_TAOYAN = (Decimal("30.000000"), Decimal("120.687500"))


@dataclass
class Wetland:
    gaobu: Street
    taoyan_squad: Team  # 陶堰's wetland squad: fishing, inside its area
    gaobu_squad: Team  # the squad seconded from 皋埠: fishing, its side of the wetland
    he: User  # officer (leader) of the 陶堰 wetland squad
    lu: User  # officer of the 陶堰 wetland squad
    shen: User  # officer of the 皋埠 squad


def make_wetland(world: World) -> Wetland:
    from enforcement import demo_geography as demo

    gaobu = factories.make_street(name="皋埠街道", code="gaobu", city="绍兴市", district="越城区")
    boundary_save(kind=Boundary.Kind.TOWNSHIP, street=world.taoyan, geometry=demo.TAOYAN)
    boundary_save(kind=Boundary.Kind.TOWNSHIP, street=gaobu, geometry=demo.GAOBU)
    Empowerment.objects.create(street=gaobu, matter=world.fishing, since=date(2023, 1, 1))
    squads = []
    for street, name, seat, area in (
        (world.taoyan, "陶堰湿地中队", ("29.996000", "120.700500"), demo.TAOYAN_WETLAND),
        (gaobu, "皋埠湿地中队（派驻）", ("30.002000", "120.668000"), demo.GAOBU_WETLAND),
    ):
        squad = make_team(
            name=name, kind=Team.Kind.TOWNSHIP_TEAM, street=street, lat=Decimal(seat[0]), lng=Decimal(seat[1])
        )
        squad.matters.set([world.fishing])
        boundary_save(kind=Boundary.Kind.SQUAD, street=street, team=squad, geometry=area)
        squads.append(squad)
    return Wetland(
        gaobu=gaobu,
        taoyan_squad=squads[0],
        gaobu_squad=squads[1],
        he=make_member(squads[0], position="leader", username="wetland_he", display_name="何伟"),
        lu=make_member(squads[0], username="wetland_lu", display_name="陆晨"),
        shen=make_member(squads[1], position="leader", username="gaobu_shen", display_name="沈洁"),
    )
