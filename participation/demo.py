"""Demo data: 白云街道's 「红色礼享家」党建联盟 with four units (白云中学, 柯城区人民医院, 回龙市集, 柯城供电
分公司) and their resources; 白云社区's needs — one open, one matched into a project in progress (健康
义诊进春江月, with its plan), one into a completed project with its outcome report; the 在职党员 李红军
(dev-party, 春江月小区 1幢1单元 401) confirmed and reported to 白云社区, with some service points; 张大爷
(dev-demo) registered as a 社区党员, waiting for 白云's staff to confirm; and 白云中学's contact
`alliance_baiyun`; and the open vote of 春江月小区 (participation/demo_votes.py).
Idempotent: rows are looked up by natural keys first."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role, User
from linli.points import services as points
from linli.regions.models import Community, Room, Street
from participation import demo_votes
from participation.models import Alliance, AllianceUnit, Need, PartyMember, Project, Resource, UnitKind
from participation.services import alliance as alliance_services
from participation.services import party as party_services

ALLIANCE = "红色礼享家党建联盟"
UNIT_CONTACT = "alliance_baiyun"

UNITS = [
    # name, kind, address, contact, phone, resources: (kind, title, description, availability, quantity)
    (
        "衢州市白云中学",
        UnitKind.SCHOOL,
        "衢州市柯城区白云中大道",
        "周老师",
        "13905701001",
        [
            ("venue", "学校报告厅", "可用于讲座、培训和居民议事会", "周末及寒暑假", "可容纳 200 人"),
            ("volunteers", "学生志愿服务队", "高二学生志愿者，可协助活动组织、陪伴老人", "每周六上午", "志愿者 15 名"),
        ],
    ),
    (
        "柯城区人民医院",
        UnitKind.HOSPITAL,
        "衢州市柯城区",
        "林医生",
        "13905701002",
        [("professional", "健康义诊", "全科、心内科医生上门义诊，测血压血糖", "每月第二个周四上午", "医生 4 名")],
    ),
    (
        "回龙市集",
        UnitKind.MARKET,
        "衢州市柯城区白云街道回龙未来社区",
        "徐经理",
        "13905701003",
        [("goods", "爱心蔬菜包", "新鲜时令蔬菜，送困难家庭和独居老人", "每周五", "每周 30 份")],
    ),
    (
        "国网衢州供电公司柯城供电分公司",
        UnitKind.COMPANY,
        "衢州市柯城区",
        "郑师傅",
        "13905701004",
        [("professional", "用电安全检查", "党员服务队上门检查楼道和家庭用电线路", "工作日", "服务队 6 人")],
    ),
]


def _resource(unit_name: str, title: str) -> Resource:
    return Resource.objects.get(unit__alliance__name=ALLIANCE, unit__name=unit_name, title=title)


def _alliance(street: Street) -> Alliance:
    alliance, _ = Alliance.objects.get_or_create(
        name=ALLIANCE,
        street=street,
        defaults={
            "description": "白云街道「1241」机制：一个党建联盟，「邻礼通」「邻礼汇」两个载体，"
            "四项服务力指数，共建「以社区为家、在社区当家、在社区共富」。"
        },
    )
    joined = date(2026, 3, 1)
    for name, kind, address, contact, phone, resources in UNITS:
        unit, _ = AllianceUnit.objects.get_or_create(
            alliance=alliance,
            name=name,
            defaults={
                "kind": kind,
                "address": address,
                "contact_name": contact,
                "contact_phone": phone,
                "joined_on": joined,
            },
        )
        for rkind, title, description, availability, quantity in resources:
            if not unit.resources.filter(title=title).exists():
                alliance_services.resource_create(
                    unit=unit,
                    kind=rkind,
                    title=title,
                    description=description,
                    availability=availability,
                    quantity=quantity,
                )
    contact = ensure_staff_user(UNIT_CONTACT, "白云中学·周老师")
    alliance_services.unit_contact_add(unit=alliance.units.get(name="衢州市白云中学"), user=contact)
    return alliance


def _needs_and_projects(alliance: Alliance, baiyun: Community, staff: User) -> None:
    today = timezone.localdate()
    if not Need.objects.filter(alliance=alliance, title="暑期青少年托管场地").exists():
        alliance_services.need_create(
            alliance=alliance,
            community=baiyun,
            actor=staff,
            kind="venue",
            title="暑期青少年托管场地",
            description="双职工家庭孩子暑期无人照看，需要场地和志愿者开设托管班。",
        )

    if not Project.objects.filter(alliance=alliance, title="健康义诊进春江月").exists():
        need = alliance_services.need_create(
            alliance=alliance,
            community=baiyun,
            actor=staff,
            kind="professional",
            title="春江月小区老年人健康义诊",
            description="小区 60 岁以上老人 300 余人，慢病随访和血压血糖监测需求大。",
        )
        project = alliance_services.project_create(
            need=need,
            resources=[_resource("柯城区人民医院", "健康义诊"), _resource("衢州市白云中学", "学生志愿服务队")],
            title="健康义诊进春江月",
            plan="每月第二个周四上午在博爱幸福驿站义诊；学生志愿者负责引导登记，社区提前一周通知。",
            starts_on=today - timedelta(days=14),
            ends_on=today + timedelta(days=76),
            actor=staff,
        )
        alliance_services.project_start(project=project, actor=staff, note="首场义诊开展")

    if not Project.objects.filter(alliance=alliance, title="老旧楼道用电安全排查").exists():
        need = alliance_services.need_create(
            alliance=alliance,
            community=baiyun,
            actor=staff,
            kind="professional",
            title="老旧楼道用电安全隐患排查",
            description="部分楼道电线老化、私拉电线给电动车充电。",
        )
        project = alliance_services.project_create(
            need=need,
            resources=[_resource("国网衢州供电公司柯城供电分公司", "用电安全检查")],
            title="老旧楼道用电安全排查",
            plan="供电党员服务队逐幢排查，社区网格员陪同入户。",
            starts_on=today - timedelta(days=60),
            ends_on=today - timedelta(days=30),
            actor=staff,
        )
        alliance_services.project_start(project=project, actor=staff)
        alliance_services.project_complete(
            project=project,
            actor=staff,
            outcome="排查楼道 12 个、入户 86 户，整改隐患 23 处，更换老化线路 140 米，新增电动车集中充电桩 20 个。",
            beneficiaries=480,
            completed_on=today - timedelta(days=31),
        )


def _resident_of(user: User, room: Room) -> None:
    # The verified-resident role household verification gives (residents' demo verifies its own the
    # same way): the party member must live in 白云 to register and report there.
    Membership.objects.get_or_create(
        user=user,
        role=Role.RESIDENT,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        defaults={"community": room.building.estate.community, "position": "owner"},
    )


def _party_members(baiyun: Community, staff: User) -> None:
    member_user, _ = User.objects.get_or_create(
        wechat_openid="dev-party", defaults={"username": "wx_dev-party", "display_name": "李红军"}
    )
    room = Room.objects.get(
        building__estate__name="春江月小区", building__name="1幢", building__unit="1单元", number="401"
    )
    _resident_of(member_user, room)
    member = PartyMember.objects.filter(user=member_user, status__in=PartyMember.ACTIVE_STATUSES).first()
    if member is None:
        member = party_services.party_member_register(
            user=member_user,
            community=baiyun,
            kind=PartyMember.Kind.WORKPLACE,
            organisation="国网衢州供电公司柯城供电分公司第一党支部",
            joined_on=date(2008, 7, 1),
            workplace="国网衢州供电公司柯城供电分公司",
        )
        party_services.party_member_confirm(member=member, actor=staff, note="组织关系已核实")
        party_services.party_report_create(
            member=member,
            community=baiyun,
            reported_on=timezone.localdate() - timedelta(days=20),
            note="愿参与用电安全、义诊引导",
        )
    # His service as the platform sees it: points for volunteering (awarded once).
    points.award(
        user=member_user,
        amount=30,
        reason="志愿服务：老旧楼道用电安全排查",
        idempotency_key="demo:participation:party-service:1",
        source=member,
    )

    # 张大爷 (a verified resident of 白云 from residents' demo), a 社区党员 waiting for staff to confirm.
    demo = User.objects.filter(wechat_openid="dev-demo").first()
    lives_here = Membership.objects.filter(user=demo, role=Role.RESIDENT, community=baiyun).exists()
    if demo is not None and lives_here and not PartyMember.objects.filter(user=demo).exists():
        party_services.party_member_register(
            user=demo,
            community=baiyun,
            kind=PartyMember.Kind.COMMUNITY,
            organisation="白云社区第二党支部",
            joined_on=date(1975, 6, 18),
        )


def seed(log):
    baiyun = Community.objects.select_related("street").get(code="baiyun")
    staff = User.objects.get(username="staff_baiyun")
    alliance = _alliance(baiyun.street)
    _needs_and_projects(alliance, baiyun, staff)
    _party_members(baiyun, staff)
    log(
        f"participation: {AllianceUnit.objects.filter(alliance=alliance).count()} 共建单位, "
        f"{Resource.objects.filter(unit__alliance=alliance).count()} 资源, "
        f"{Project.objects.filter(alliance=alliance).count()} 项目, {PartyMember.objects.count()} 党员登记"
    )
    demo_votes.seed(log)
