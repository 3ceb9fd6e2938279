"""斗潭社区's 居家养老服务中心: a provider with a manager and two care workers (password logins), the
catalogue, the elder `dev-elder` with a subsidy balance, one finished and one open order, and a weekly
visit by the volunteer 王阿姨 (dev-wang). Idempotent: rows are looked up by natural keys first."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from care import checkin, selectors, services
from care.models import CareOrder, CareService, Provider, ProviderPosition, ServiceKind, SubsidyAccount, VisitPlan
from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role, User
from linli.payments import services as payments
from linli.regions.models import Community, Estate, Room

PROVIDER = "斗潭社区居家养老服务中心"
# The gate of 斗潭小区 (GCJ-02): care workers check in within CARE_CHECK_IN_RADIUS_M of it.
DOUTAN_GATE = (Decimal("28.955310"), Decimal("118.868420"))

PEOPLE = [
    # username, display name, position
    ("care_doutan_manager", "斗潭养老中心·周敏", ProviderPosition.MANAGER),
    ("care_doutan_1", "助老员·吴桂英", ProviderPosition.WORKER),
    ("care_doutan_2", "助老员·郑国强", ProviderPosition.WORKER),
]

CATALOGUE = [
    # kind, name, description, price (fen), minutes, subsidy eligible
    (ServiceKind.MEAL, "助餐送餐", "中心食堂午餐一份，送餐上门（两荤一素一汤）。", 1500, 30, True),
    (ServiceKind.CLEANING, "居家保洁", "客厅、卧室、厨卫日常清洁，2 小时。", 8000, 120, True),
    (ServiceKind.BATHING, "上门助浴", "两名助老员携带助浴设备上门，协助洗浴、更衣。", 6000, 60, True),
    (ServiceKind.MEDICAL, "陪同就医", "陪同前往社区卫生服务站或医院，协助挂号、取药。", 5000, 180, True),
    (ServiceKind.COMPANION, "居家陪护", "居家陪伴照护，半天。", 12000, 240, False),
    (ServiceKind.VISIT, "上门探访", "上门问候、安全检查、量血压。", 2000, 30, True),
]


def _provider(community: Community) -> Provider:
    provider, _ = Provider.objects.get_or_create(
        name=PROVIDER,
        defaults={"phone": "0570-3010010", "address": "衢州市柯城区斗潭路斗潭未来社区邻里中心二楼"},
    )
    provider.communities.add(community)
    for username, display_name, position in PEOPLE:
        user = ensure_staff_user(username, display_name, is_staff=position == ProviderPosition.MANAGER)
        services.provider_member_add(provider=provider, user=user, position=position)
    for order, (kind, name, description, price, minutes, eligible) in enumerate(CATALOGUE):
        CareService.objects.get_or_create(
            community=community,
            provider=provider,
            name=name,
            defaults={
                "kind": kind,
                "description": description,
                "price_fen": price,
                "duration_minutes": minutes,
                "subsidy_eligible": eligible,
                "sort_order": order,
            },
        )
    return provider


def _elder(community: Community) -> User:
    """`dev-elder` (the family demo's elder when linli.family seeded one), living in 斗潭小区 1幢1单元 202."""
    elder, _ = User.objects.get_or_create(
        wechat_openid="dev-elder", defaults={"username": "wx_dev-elder", "display_name": "王奶奶"}
    )
    if elder.birth_date is None:
        elder.birth_date = timezone.localdate().replace(year=1941, month=5, day=8)
        elder.save(update_fields=["birth_date"])
    if selectors.home_of(elder, community.pk) is None:
        room = Room.objects.get(
            building__estate__community=community,
            building__estate__name="斗潭小区",
            building__name="1幢",
            building__unit="1单元",
            number="202",
        )
        Membership.objects.get_or_create(
            user=elder,
            role=Role.RESIDENT,
            scope_type=ContentType.objects.get_for_model(Room),
            scope_id=room.pk,
            defaults={"community": community, "position": "owner"},
        )
    return elder


def _orders(elder: User, provider: Provider) -> None:
    if CareOrder.objects.filter(elder=elder).exists():
        return
    manager = User.objects.get(username="care_doutan_manager")
    worker = User.objects.get(username="care_doutan_1")
    by_name = {s.name: s for s in CareService.objects.filter(provider=provider)}
    now = timezone.now()

    done = services.care_order_place(
        elder=elder, service=by_name["助餐送餐"], scheduled_start=now + timedelta(minutes=30), note="少盐"
    )
    done = services.care_order_dispatch(order=done, by=manager, worker=worker)
    done = services.care_order_check_in(order=done, worker=worker, door_code=checkin.door_code(done.room_id))
    done = services.care_order_check_out(
        order=done, worker=worker, service_note="午餐已送到，陪老人用餐，提醒饭后服药。", photos=[]
    )
    services.care_order_rate(order=done, by=elder, rating=5, comment="饭菜可口，小吴很耐心")

    open_order = services.care_order_place(
        elder=elder,
        service=by_name["上门助浴"],
        scheduled_start=(now + timedelta(days=2)).replace(hour=1, minute=30, second=0, microsecond=0),
        note="老人腿脚不便，请带防滑垫",
    )
    if open_order.status == CareOrder.Status.PENDING_PAYMENT and settings.LINLI_SANDBOX:
        payments.payment_sandbox_complete(intent=open_order.payment_intent)
        open_order.refresh_from_db()
    if open_order.status == CareOrder.Status.PLACED:
        services.care_order_dispatch(order=open_order, by=manager, worker=worker)


def seed(log):
    community = Community.objects.get(code="doutan")
    Estate.objects.filter(community=community, name="斗潭小区", latitude__isnull=True).update(
        latitude=DOUTAN_GATE[0], longitude=DOUTAN_GATE[1]
    )
    provider = _provider(community)
    elder = _elder(community)
    staff = User.objects.get(username="staff_doutan")
    if not SubsidyAccount.objects.filter(elder=elder).exists():
        account = services.subsidy_account_set(
            by=staff, elder=elder, community=community, monthly_amount_fen=20000, note="80 周岁以上独居老人"
        )
        services.subsidy_grant(account=account, month=timezone.localdate())
    _orders(elder, provider)
    volunteer = User.objects.filter(wechat_openid="dev-wang").first()
    if volunteer is not None and not VisitPlan.objects.filter(elder=elder).exists():
        services.visit_plan_create(
            by=staff, elder=elder, visitor=volunteer, weekday=timezone.localdate().weekday(), note="独居，每周上门一次"
        )
    _sos_button(community, elder, staff)
    _history(elder, staff)
    _nursery(community)
    log(
        f"care: {Provider.objects.count()} providers, {CareService.objects.count()} services, "
        f"{CareOrder.objects.count()} care orders, {VisitPlan.objects.count()} visit plans"
    )


# --- 一键呼叫 and 托育 ----------------------------------------------------------------------------

SOS_BUTTON = "doutan-sos-elder"
NURSERY = "斗潭社区托育点"
NURSERY_CLASSES = [
    # name, months from, months to (exclusive), places, monthly fee (fen)
    ("托小班", 12, 24, 12, 180000),
    ("托大班", 24, 36, 15, 160000),
]


def _sos_button(community: Community, elder: User, staff: User) -> None:
    """The elder's SOS button by the bed, bound to her, playable with `device_simulator` (docs/demo.md)."""
    from care.services.alarms import care_device_bind
    from linli.devices.models import Device
    from linli.devices.services import device_create

    device = Device.objects.filter(code=SOS_BUTTON).first()
    if device is None:
        # The secret is stored encrypted; `device_simulator --device doutan-sos-elder` reads it on the server.
        device, _secret = device_create(
            kind=Device.Kind.SOS_BUTTON,
            code=SOS_BUTTON,
            name=f"一键呼叫按钮（{elder}家）",
            community=community,
            street=community.street,
            location=f"{selectors.home_of(elder, community.pk) or '老人家中'} 卧室床头",
        )
    if not hasattr(device, "care_binding"):
        care_device_bind(
            device=device,
            elder=elder,
            community=community,
            room=selectors.home_of(elder, community.pk),
            note="卧室床头",
            actor=staff,
        )


def _history(elder: User, staff: User) -> None:
    """Last weeks as the console should show them: two visits done and an alarm answered in 4 minutes.
    The services stamp "now"; these rows are records of the past, so their times are set afterwards."""
    from care.models import Alarm, CareDevice, Visit
    from care.models.alarms import AlarmOutcome
    from care.services.alarms import alarm_acknowledge, alarm_arrive, alarm_close, alarm_raise

    now = timezone.now()
    plan = VisitPlan.objects.filter(elder=elder, is_active=True).first()
    if plan is not None and not Visit.objects.filter(plan=plan, date__lt=timezone.localdate()).exists():
        services.visits_generate(
            today=timezone.localdate() - timedelta(days=14), plans=VisitPlan.objects.filter(pk=plan.pk)
        )
        for visit in Visit.objects.filter(plan=plan, date__lt=timezone.localdate()):
            start = timezone.make_aware(datetime.combine(visit.date, time(9, 30)))
            Visit.objects.filter(pk=visit.pk).update(
                status=Visit.Status.DONE,
                checked_in_at=start,
                check_in_method="door_code",
                checked_out_at=start + timedelta(minutes=40),
                notes="老人精神不错，血压正常，帮忙整理了药盒。",
            )
    binding = CareDevice.objects.filter(elder=elder, is_active=True).first()
    if binding is not None and not Alarm.objects.filter(elder=elder).exists():
        raised = now - timedelta(days=3, hours=2)
        alarm, _ = alarm_raise(binding=binding, kind=Alarm.Kind.SOS, at=raised)
        alarm = alarm_acknowledge(alarm=alarm, actor=staff, note="已电话联系老人，马上上门")
        alarm = alarm_arrive(alarm=alarm, actor=staff)
        alarm = alarm_close(
            alarm=alarm, actor=staff, outcome=AlarmOutcome.HANDLED_AT_HOME, note="老人起夜头晕，已扶回床上休息"
        )
        Alarm.objects.filter(pk=alarm.pk).update(
            acknowledged_at=raised + timedelta(minutes=4),
            arrived_at=raised + timedelta(minutes=15),
            closed_at=raised + timedelta(minutes=50),
        )


def _nursery(community: Community) -> None:
    """斗潭's 500 m² 托育点 with two classes, and 李敏 (dev-mama) who applied for her son 小宇 (pending review)."""
    from care.models import Child, ChildcareClass, Enrolment
    from care.services import childcare

    nursery, _ = Provider.objects.get_or_create(
        name=NURSERY,
        defaults={
            "kind": Provider.Kind.CHILDCARE,
            "phone": "0570-3010020",
            "address": "衢州市柯城区斗潭路斗潭未来社区邻里中心一楼（500 平方米）",
        },
    )
    nursery.communities.add(community)
    classes = {}
    for name, low, high, places, fee in NURSERY_CLASSES:
        classes[name], _ = ChildcareClass.objects.get_or_create(
            provider=nursery,
            name=name,
            defaults={
                "community": community,
                "min_age_months": low,
                "max_age_months": high,
                "capacity": places,
                "monthly_fee_fen": fee,
            },
        )
    parent, _ = User.objects.get_or_create(
        wechat_openid="dev-mama", defaults={"username": "wx_dev-mama", "display_name": "李敏"}
    )
    room = Room.objects.get(
        building__estate__community=community,
        building__estate__name="斗潭小区",
        building__name="2幢",
        building__unit="1单元",
        number="101",
    )
    Membership.objects.get_or_create(
        user=parent,
        role=Role.RESIDENT,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        defaults={"community": community, "position": "owner"},
    )
    today = timezone.localdate()
    child = Child.objects.filter(parent=parent, name="小宇").first()
    if child is None:
        total = today.year * 12 + today.month - 1 - 18  # 18 months old today: 托小班
        born = today.replace(year=total // 12, month=total % 12 + 1, day=min(today.day, 28))
        child = childcare.child_register(parent=parent, room=room, name="小宇", birth_date=born)
    if not Enrolment.objects.filter(child=child).exists():
        childcare.enrolment_apply(parent=parent, child=child, klass=classes["托小班"], start_date=today)
