"""Demo data of 越城区 「大综合一体化」: the catalogue, teams, empowerment lists, accounts, the
鉴湖 wetland's camera and sensor, some history (so the statistics are not empty) and the
Open311 key `demo-open311-key`. Idempotent: a second run changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enforcement import demo_geography, demo_reform
from enforcement.models import (
    Case,
    Category,
    Domain,
    Empowerment,
    Inspection,
    Matter,
    Open311Client,
    ProblemReport,
    Scenario,
    Target,
    Team,
)
from enforcement.models.open311 import hash_key
from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role
from linli.devices.models import Device
from linli.regions.models import Street

DEMO_TAG = "【演示】"
OPEN311_DEMO_KEY = "demo-open311-key"

DEPARTMENTS = [
    # code, name
    ("yc-zhzf", "越城区综合行政执法局"),
    ("yc-scjg", "越城区市场监督管理局"),
    ("yc-sthj", "绍兴市生态环境局越城分局"),
    ("yc-whsc", "越城区文化市场综合行政执法队"),
    ("yc-jtys", "越城区交通运输行政执法队"),
    ("yc-nyncj", "越城区农业农村局"),
    ("yc-yjgl", "越城区应急管理局"),
    ("yc-zrzy", "越城区自然资源和规划分局"),
    ("yc-wsjk", "越城区卫生健康局"),
]

DOMAINS = [
    # code, name, department code
    ("fire", "消防救援", "yc-yjgl"),
    ("market", "市场监管", "yc-scjg"),
    ("water", "水利", "yc-zhzf"),
    ("tourism", "旅游", "yc-whsc"),
    ("ecology", "生态环境", "yc-sthj"),
    ("transport", "交通运输", "yc-jtys"),
    ("agriculture", "农业农村", "yc-nyncj"),
    ("natural-resources", "自然资源", "yc-zrzy"),
    ("health", "卫生健康", "yc-wsjk"),
    ("culture", "文化市场", "yc-whsc"),
    ("emergency", "应急管理", "yc-yjgl"),
    ("urban", "城市管理", "yc-zhzf"),
    ("housing", "住房建设", "yc-zhzf"),
    ("forestry", "林业", "yc-zrzy"),
    ("heritage", "文物", "yc-whsc"),
    ("sports", "体育", "yc-whsc"),
    ("education", "教育", "yc-zhzf"),
    ("civil-affairs", "民政", "yc-zhzf"),
    ("labour", "人力社保", "yc-zhzf"),
    ("commerce", "商务", "yc-scjg"),
    ("civil-defence", "人防", "yc-zhzf"),
    ("meteorology", "气象", "yc-yjgl"),
    ("grain", "粮食", "yc-scjg"),
    ("statistics", "统计", "yc-scjg"),
]

MATTERS = [
    # code, name, domain, legal basis, deadline hours
    ("SL-001", "在河道管理范围内违法建设或倾倒", "water", "《中华人民共和国水法》第六十五条", 72),
    ("NY-001", "禁渔期、禁渔区违法捕捞", "agriculture", "《中华人民共和国渔业法》第三十八条", 24),
    ("NY-002", "电鱼、炸鱼、毒鱼", "agriculture", "《中华人民共和国渔业法》第三十八条第一款", 12),
    ("CG-001", "随意倾倒、抛撒建筑垃圾", "urban", "《城市建筑垃圾管理规定》第二十六条", 48),
    ("CG-002", "占道经营", "urban", "《浙江省城市市容和环境卫生管理条例》第四十二条", 24),
    ("ZJ-001", "未取得建设工程规划许可证进行建设", "housing", "《中华人民共和国城乡规划法》第六十四条", 72),
    ("LY-001", "旅游经营者欺骗、强迫旅游者购物", "tourism", "《中华人民共和国旅游法》第九十八条", 48),
    ("LY-002", "未经许可经营旅行社业务", "tourism", "《中华人民共和国旅游法》第九十五条", 72),
    ("SC-001", "经营超过保质期的食品", "market", "《中华人民共和国食品安全法》第一百二十四条", 48),
    ("SC-002", "无照经营", "market", "《无证无照经营查处办法》第十三条", 72),
    ("SC-003", "不按规定明码标价", "market", "《中华人民共和国价格法》第四十二条", 48),
    ("HB-001", "超标排放水污染物", "ecology", "《中华人民共和国水污染防治法》第八十三条", 24),
    ("HB-002", "露天焚烧产生有毒有害烟尘", "ecology", "《中华人民共和国大气污染防治法》第一百一十九条", 24),
    ("HB-003", "向农用地排放有毒有害物质", "ecology", "《中华人民共和国土壤污染防治法》第八十七条", 72),
    ("XF-001", "占用、堵塞、封闭消防通道", "fire", "《中华人民共和国消防法》第六十条", 24),
    ("JT-001", "未取得道路运输经营许可擅自从事经营", "transport", "《浙江省道路运输条例》第六十二条", 72),
    ("ZR-001", "非法占用耕地建房", "natural-resources", "《中华人民共和国土地管理法》第七十七条", 72),
    ("ZR-002", "未取得采矿许可证擅自采矿", "natural-resources", "《中华人民共和国矿产资源法》", 48),
    ("NY-003", "使用禁用的农药", "agriculture", "《农药管理条例》第六十条", 48),
    ("WH-001", "上网服务营业场所接纳未成年人", "culture", "《互联网上网服务营业场所管理条例》第三十一条", 48),
    ("WS-001", "非医师行医", "health", "《中华人民共和国医师法》第五十九条", 48),
    ("YJ-001", "违规储存危险化学品", "emergency", "《危险化学品安全管理条例》第八十条", 24),
    ("LC-001", "滥伐林木", "forestry", "《中华人民共和国森林法》第七十六条", 48),
    ("WW-001", "在文物保护单位保护范围内擅自进行建设工程", "heritage", "《中华人民共和国文物保护法》", 72),
    ("TY-001", "未经批准举办高危险性体育赛事活动", "sports", "《中华人民共和国体育法》", 48),
    ("JY-001", "擅自举办校外培训机构", "education", "《中华人民共和国民办教育促进法》", 72),
    ("MZ-001", "未经批准擅自兴建殡葬设施", "civil-affairs", "《殡葬管理条例》第二十条", 72),
    ("RS-001", "非法招用未满十六周岁的未成年人", "labour", "《禁止使用童工规定》第六条", 24),
    ("SW-001", "违规发行单用途商业预付卡", "commerce", "《单用途商业预付卡管理办法（试行）》", 72),
    ("RF-001", "侵占人民防空工程", "civil-defence", "《中华人民共和国人民防空法》第四十九条", 72),
    ("QX-001", "未经批准擅自施放气球", "meteorology", "《施放气球管理办法》", 24),
    ("LS-001", "未按规定建立粮食经营台账", "grain", "《粮食流通管理条例》", 72),
    ("TJ-001", "提供不真实或者不完整的统计资料", "statistics", "《中华人民共和国统计法》", 72),
]

CATEGORIES = [
    # code, name, matter, public
    ("illegal_fishing", "违规捕捞", "NY-001", True),
    ("electro_fishing", "电鱼炸鱼", "NY-002", True),
    ("water_pollution", "水体污染", "HB-001", True),
    ("air_pollution", "露天焚烧", "HB-002", True),
    ("soil_pollution", "土壤污染", "HB-003", True),
    ("illegal_construction", "违法建设", "ZJ-001", True),
    ("construction_waste", "乱倒建筑垃圾", "CG-001", True),
    ("street_vending", "占道经营", "CG-002", True),
    ("river_encroachment", "侵占河道", "SL-001", True),
    ("food_safety", "食品安全", "SC-001", True),
    ("unlicensed_business", "无照经营", "SC-002", True),
    ("price_tag", "价格不明", "SC-003", True),
    ("tourism_disorder", "旅游市场秩序", "LY-001", True),
    ("fire_exit_blocked", "消防通道堵塞", "XF-001", True),
    ("illegal_taxi", "非法营运", "JT-001", True),
    ("farmland_occupation", "占用耕地", "ZR-001", True),
    ("hazardous_chemicals", "危化品隐患", "YJ-001", False),
]

TOWNSHIPS = [
    # street code, team name, seat lat, lng, empowered domains (赋权 goes by 领域: every matter of
    # the domain is on the township's list)
    ("fushan", "府山街道综合行政执法队", "30.000500", "120.578300", ["tourism", "urban"]),
    ("dongpu", "东浦街道综合行政执法队", "30.047100", "120.518400", ["market", "urban"]),
    ("taoyan", "陶堰街道综合行政执法队", "30.017200", "120.700100", ["agriculture", "water"]),
    ("sunduan", "孙端街道综合行政执法队", "30.073300", "120.707500", ["natural-resources", "housing"]),
    ("youhai", "游海街道综合行政执法队", "29.952000", "120.688000", ["agriculture", "natural-resources"]),
    ("fusheng", "富盛镇综合行政执法队", "29.931200", "120.728600", ["agriculture", "natural-resources", "fire"]),
]
# The district's list took effect on 5月25日 2023 (the year of its document, 越政办发〔2023〕12 号).
EMPOWERED_SINCE = date(2023, 5, 25)
EMPOWERMENT_DOCUMENT = "越政办发〔2023〕12 号 乡镇（街道）综合行政执法事项赋权清单"

SCENARIOS = [
    ("乡村旅游景区监管一件事", "旅游景区", ["LY-001", "SC-001", "XF-001", "CG-002"]),
    ("沿街商铺监管一件事", "沿街商铺", ["SC-001", "SC-003", "XF-001", "CG-002"]),
]

TARGETS = [
    # name, kind, street, credit code, address, lat, lng, whitelisted reason
    ("府山公园景区", "scenic_spot", "fushan", "", "越城区府山横街", "30.000900", "120.577600", ""),
    (
        "仓桥直街越味小吃店",
        "restaurant",
        "fushan",
        "92330602MA2D00001X",
        "越城区仓桥直街 58 号",
        "30.001500",
        "120.574200",
        "",
    ),
    ("陶堰白塔村农家乐", "farm_stay", "taoyan", "92330602MA2D00002Y", "陶堰街道白塔村", "30.019000", "120.702000", ""),
    (
        "东浦黄酒博物馆",
        "scenic_spot",
        "dongpu",
        "12330602MB0000003Z",
        "东浦街道鲁东村",
        "30.046500",
        "120.519500",
        "信用评价 A 级，近一年无违法记录",
    ),
    (
        "游海建材堆场",
        "construction_site",
        "youhai",
        "91330602MA2D00004W",
        "游海街道江南村",
        "29.953000",
        "120.689000",
        "",
    ),
]


def _members(user, role, team, position=""):
    Membership.objects.get_or_create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(Team),
        scope_id=team.pk,
        defaults={"street": team.street, "position": position},
    )


def _correct_earlier_demo():
    """A demo seeded before the fix had 游海乡 and a list from 2023-07-01 with other matters: bring its
    rows in line with the seed (rows of that list only; anything staff entered stays)."""
    Team.objects.filter(code="team-youhai", name="游海乡综合行政执法队").update(name="游海街道综合行政执法队")
    Target.objects.filter(name="游海建材堆场", address="游海乡江南村").update(address="游海街道江南村")
    wanted = {(street, domain) for street, *_, domains in TOWNSHIPS for domain in domains}
    old = Empowerment.objects.filter(document=EMPOWERMENT_DOCUMENT).select_related("street", "matter__domain")
    for row in old:
        if (row.street.code, row.matter.domain.code) not in wanted:
            row.delete()
        elif row.since != EMPOWERED_SINCE:
            Empowerment.objects.filter(pk=row.pk).update(since=EMPOWERED_SINCE)


def _catalogue():
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = Team.objects.get_or_create(
            code=code, defaults={"name": name, "kind": Team.Kind.DISTRICT_DEPARTMENT}
        )
    centre, _ = Team.objects.get_or_create(
        code="yc-zhzx", defaults={"name": "越城区综合行政执法指挥中心", "kind": Team.Kind.COMMAND_CENTER}
    )
    domains = {}
    for index, (code, name, department) in enumerate(DOMAINS):
        domains[code], _ = Domain.objects.get_or_create(
            code=code, defaults={"name": name, "department": departments[department], "sort_order": index}
        )
    matters = {}
    for code, name, domain, basis, hours in MATTERS:
        matters[code], _ = Matter.objects.get_or_create(
            code=code, defaults={"name": name, "domain": domains[domain], "legal_basis": basis, "deadline_hours": hours}
        )
    for index, (code, name, matter, public) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "matter": matters[matter], "is_public": public, "sort_order": index}
        )
    teams = {}
    _correct_earlier_demo()
    for street_code, name, lat, lng, empowered in TOWNSHIPS:
        street = Street.objects.get(code=street_code)
        teams[street_code], _ = Team.objects.get_or_create(
            code=f"team-{street_code}",
            defaults={
                "name": name,
                "kind": Team.Kind.TOWNSHIP_TEAM,
                "street": street,
                "lat": Decimal(lat),
                "lng": Decimal(lng),
            },
        )
        for matter in Matter.objects.filter(domain__code__in=empowered):
            Empowerment.objects.get_or_create(
                street=street, matter=matter, since=EMPOWERED_SINCE, defaults={"document": EMPOWERMENT_DOCUMENT}
            )
    for name, place_kind, codes in SCENARIOS:
        scenario, created = Scenario.objects.get_or_create(name=name, defaults={"place_kind": place_kind})
        if created:
            scenario.matters.set([matters[c] for c in codes])
    for name, kind, street_code, credit, address, lat, lng, whitelist in TARGETS:
        Target.objects.get_or_create(
            street=Street.objects.get(code=street_code),
            name=name,
            defaults={
                "kind": kind,
                "credit_code": credit,
                "address": address,
                "lat": Decimal(lat),
                "lng": Decimal(lng),
                "whitelisted": bool(whitelist),
                "whitelist_reason": whitelist,
            },
        )
    return departments, centre, teams


def _accounts(departments, centre, teams):
    people = {
        "officer_taoyan": ("陶堰执法队·孙磊", Role.OFFICER, teams["taoyan"], ""),
        "leader_taoyan": ("陶堰执法队·队长周建", Role.OFFICER, teams["taoyan"], "leader"),
        "grid_taoyan": ("陶堰网格员·钱芳", Role.GRID_WORKER, teams["taoyan"], ""),
        "officer_market": ("区市场监管局·吴强", Role.OFFICER, departments["yc-scjg"], "leader"),
        "dispatch_yuecheng": ("区指挥中心·调度员郑敏", Role.OFFICER, centre, "leader"),
    }
    users = {}
    for username, (display_name, role, team, position) in people.items():
        users[username] = ensure_staff_user(username, display_name)
        _members(users[username], role, team, position)
    return users


def _devices():
    from linli.devices import services as device_services

    wetland = [
        (
            Device.Kind.AI_CAMERA,
            "jianhu-cam-01",
            "鉴湖湿地 AI 摄像头（陶堰段）",
            "taoyan",
            "鉴湖国家湿地公园陶堰段 3 号观测点",
            "30.012400",
            "120.690300",
            {"min_confidence": 0.6, "cooldown_minutes": 60},
        ),
        (
            Device.Kind.IOT_SENSOR,
            "jianhu-water-01",
            "鉴湖湿地水质监测浮标（皋埠段）",
            "gaobu",
            "鉴湖国家湿地公园皋埠段入湖口",
            "30.010800",
            "120.655100",
            {
                "thresholds": {"cod_mg_l": 40, "ammonia_mg_l": 2.0},
                "category": "water_pollution",
                "hysteresis": 0.9,
                "quiet_minutes": 30,
            },
        ),
    ]
    for kind, code, name, street, location, lat, lng, config in wetland:
        if Device.objects.filter(code=code).exists():
            continue
        fields = {
            "kind": kind,
            "code": code,
            "name": name,
            "street": Street.objects.get(code=street),
            "location": location,
            "config": config,
            "lat": Decimal(lat),
            "lng": Decimal(lng),
        }
        device_services.device_create(**fields)
    for code in ("jianhu-cam-01", "jianhu-water-01"):
        # Online from the start: the demo's wetland devices have just sent a heartbeat (docs/demo.md
        # says how to keep them online while the beat runs).
        device_services.device_heartbeat(device=Device.objects.get(code=code))
    _device_reports()


# What the wetland's devices saw, sent through the device gateway's own service (the one the signed
# POST /api/v1/devices/events/ calls): each event becomes a problem report by the handlers in
# enforcement/devices.py. Fixed event ids and payloads, so a second seed is a replay that changes
# nothing. (hours ago, device, event id, type, payload)
DEVICE_EVENTS = [
    (
        3,
        "jianhu-cam-01",
        "demo-cam-0001",
        "camera.detection",
        {
            "detection": "illegal_fishing",
            "confidence": 0.93,
            "snapshot_url": "https://cam.example.cn/jianhu-01/0001.jpg",
        },
    ),
    (
        2,
        "jianhu-cam-01",
        "demo-cam-0002",
        "camera.detection",
        {"detection": "illegal_fishing", "confidence": 0.41},  # below the camera's bar: no report
    ),
    (1, "jianhu-water-01", "demo-water-0001", "sensor.reading", {"metric": "cod_mg_l", "value": 31.5, "unit": "mg/L"}),
    (
        0.5,
        "jianhu-water-01",
        "demo-water-0002",
        "sensor.reading",
        {"metric": "cod_mg_l", "value": 52.8, "unit": "mg/L"},
    ),  # over 40
]


def _device_reports():
    from linli.devices.services import device_event_receive

    now = timezone.now()
    for hours, code, event_id, type, payload in DEVICE_EVENTS:
        device_event_receive(
            device=Device.objects.get(code=code),
            event_id=event_id,
            type=type,
            occurred_at=now - timedelta(hours=hours),
            payload=payload,
        )


def _open311():
    from enforcement.services.open311 import open311_client_issue

    if not Open311Client.objects.filter(key_hash=hash_key(OPEN311_DEMO_KEY)).exists():
        open311_client_issue(name="演示 Open311 应用", contact="demo@example.com", raw_key=OPEN311_DEMO_KEY)


def _history(users, departments, teams):
    """A few months of the loop, so the statistics have something to show. Created once."""
    from enforcement.services import inspections as inspection_services
    from enforcement.services import reports as report_services

    if ProblemReport.objects.filter(description__startswith=DEMO_TAG).exists():
        return
    now = timezone.now()
    officer, grid = users["officer_taoyan"], users["grid_taoyan"]
    market = users["officer_market"]
    category = {c.code: c for c in Category.objects.select_related("matter")}
    taoyan, fushan = Street.objects.get(code="taoyan"), Street.objects.get(code="fushan")

    def back(report, days, hours_to_resolve=None):
        """Move a report's timeline `days` into the past (handled in `hours_to_resolve`)."""
        created = now - timedelta(days=days)
        changes = {"created_at": created, "dispatched_at": created, "deadline_at": created + report.matter.deadline}
        if hours_to_resolve is not None:
            changes["resolved_at"] = created + timedelta(hours=hours_to_resolve)
        ProblemReport.objects.filter(pk=report.pk).update(**changes)
        report.history.update(created_at=created)

    def loop(report, actor, outcome, feedback, close=True):
        report_services.report_accept(report=report, actor=actor)
        report_services.report_handle(report=report, actor=actor)
        report_services.report_outcome(report=report, actor=actor, outcome=outcome, note="现场核查处置")
        report_services.report_feedback(report=report, actor=actor, feedback=feedback)
        if close:
            report_services.report_close(report=report, actor=actor)

    fishing = report_services.report_file_by_staff(
        actor=grid,
        channel=ProblemReport.Channel.GRID,
        category=category["illegal_fishing"],
        description=f"{DEMO_TAG}白塔村鉴湖岸边有人在禁渔期用地笼网捕鱼",
        lat=Decimal("30.018100"),
        lng=Decimal("120.701200"),
        address="陶堰街道白塔村鉴湖沿岸",
        street=taoyan,
    )
    loop(fishing, officer, ProblemReport.Outcome.PERSUADED, "已当场劝离并收缴地笼网 3 条。")
    back(fishing, 40, 6)

    vending = report_services.report_file_by_staff(
        actor=users["dispatch_yuecheng"],
        channel=ProblemReport.Channel.HOTLINE,
        category=category["street_vending"],
        description=f"{DEMO_TAG}市民来电：府山横街早市摊贩占用人行道",
        address="府山横街",
        street=fushan,
    )
    back(vending, 12)

    food = report_services.report_file_by_staff(
        actor=grid,
        channel=ProblemReport.Channel.GRID,
        category=category["food_safety"],
        description=f"{DEMO_TAG}村口小卖部货架上有过期牛奶",
        address="陶堰街道陶堰村村口",
        street=taoyan,
    )
    report_services.report_accept(report=food, actor=market)
    report_services.report_handle(report=food, actor=market)
    report_services.report_outcome(
        report=food,
        actor=market,
        outcome=ProblemReport.Outcome.CASE_FILED,
        note="现场查获过期乳制品 12 盒",
        case={
            "party_name": "陶堰村便民小卖部",
            "party_code": "92330602MA2D00009K",
            "facts": "经营超过保质期的乳制品 12 盒",
        },
    )
    report_services.report_feedback(report=food, actor=market, feedback="已对经营者立案调查，过期食品已下架封存。")
    back(food, 25, 60)

    open_one = report_services.report_file_by_staff(
        actor=grid,
        channel=ProblemReport.Channel.GRID,
        category=category["river_encroachment"],
        description=f"{DEMO_TAG}河道管理范围内新搭建简易棚",
        address="陶堰街道泾口村",
        street=taoyan,
    )
    report_services.report_accept(report=open_one, actor=officer)
    back(open_one, 5)  # overdue: the beat escalates it to the leader

    # Joint inspections: the scenic spot and the farm stay, completed, with findings.
    scenario = Scenario.objects.get(name="乡村旅游景区监管一件事")
    farm = Target.objects.get(name="陶堰白塔村农家乐")
    for weeks in (9, 6, 3):
        inspection = inspection_services.inspection_plan(
            actor=users["dispatch_yuecheng"],
            target=farm,
            matters=[],
            scenario=scenario,
            planned_at=now - timedelta(weeks=weeks),
        )
        if weeks == 3:
            finding = inspection_services.inspection_finding_add(
                inspection=inspection,
                actor=market,
                matter=Matter.objects.get(code="SC-001"),
                description="后厨冷藏柜内有 2 袋过期冷冻肉",
                severity="moderate",
            )
            inspection_services.finding_file_case(finding=finding, actor=market)
        inspection_services.inspection_complete(
            inspection=inspection, actor=users["dispatch_yuecheng"], summary="农家乐联合检查，已一次性告知整改事项。"
        )
        Inspection.objects.filter(pk=inspection.pk).update(completed_at=now - timedelta(weeks=weeks))
    Case.objects.filter(filed_at__gte=now - timedelta(minutes=5)).update(filed_at=now - timedelta(weeks=3))


def seed(log):
    departments, centre, teams = _catalogue()
    users = _accounts(departments, centre, teams)
    _devices()
    _open311()
    _history(users, departments, teams)
    if demo_reform.seed_reform_period():
        log(
            f"enforcement: the reform's figures of {demo_reform.PERIOD[0].year}: "
            f"{demo_reform.JOINT_INSPECTIONS} joint inspections → {demo_reform.PROBLEMS_FOUND} problems → "
            f"{demo_reform.CASES_FILED} cases"
        )
    demo_geography.seed(log)  # after the history: its reports were routed before squads existed
    log(
        f"enforcement: {Domain.objects.count()} domains, {Matter.objects.count()} matters, "
        f"{Team.objects.count()} teams, {Empowerment.objects.count()} empowerments, "
        f"{ProblemReport.objects.count()} reports, {Case.objects.count()} cases"
    )
