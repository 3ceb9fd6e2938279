"""Demo data of 医保到家 at 白云社区's 博爱幸福驿站. Idempotent; dates are relative to today.

张大爷 (dev-demo) has also paid a prescription at the drug vending machine, so the machine has one
`dispense` command waiting (the README's `device_simulator … ack next done` hands the drugs out).
A command expires after DEVICE_COMMAND_TTL_SECONDS; the next seed expires it as the beat would (a
refund) and buys a new prescription, so every `python3 dev.py run` starts with one waiting.

For the staff console, each community also gets a month of 到家办 insurance applications from its
neighbours (residents/demo.py), some still waiting for review, and 到家推 policy pushes; 斗潭's
居家养老服务中心 gets a health kiosk of its own."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from health import ranges
from health.models import (
    Clinic,
    Condition,
    Department,
    Dispense,
    Drug,
    HealthCondition,
    HealthProfile,
    InsuranceApplication,
    InsuranceApplicationHistory,
    PolicyArticle,
    Prescription,
    Slot,
    VitalReading,
    VitalType,
)
from health.services.consultations import (
    consultation_accept,
    consultation_close,
    consultation_create,
    prescription_create,
)
from health.services.dispensing import prescription_dispense
from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role, User
from linli.api.errors import DomainError
from linli.devices.models import Device, DeviceCommand
from linli.devices.selectors import pending_commands
from linli.devices.services import device_command_expire, device_create, device_heartbeat
from linli.payments.models import Provider, SandboxInsuranceAccount
from linli.payments.providers import default_insurance_provider_name
from linli.regions.models import Community

DEVICES = [
    # code, kind, name, config
    (
        "baiyun-boai-kiosk",
        Device.Kind.HEALTH_KIOSK,
        "博爱幸福驿站健康自助机",
        {"measures": ["temperature", "blood_pressure", "heart_rate", "glucose", "ecg"]},
    ),
    ("baiyun-boai-drug", Device.Kind.DRUG_VENDING, "博爱幸福驿站自助售药机", {"lanes": 60}),
]

DEMO_INSURANCE_BALANCE_FEN = 86_000  # 860 元 in the sandbox personal account

DEPARTMENTS = [
    # clinic name, kind, department names
    ("博爱幸福驿站智慧诊室", Clinic.Kind.CLINIC, ["全科", "中医科", "慢病管理"]),
    ("衢州市柯城区人民医院", Clinic.Kind.HOSPITAL, ["心血管内科", "内分泌科"]),
]

DRUGS = [
    # name, specification, manufacturer, coverage, price (fen), prescription only
    ("阿莫西林胶囊", "0.25g×24粒", "华北制药", Drug.Coverage.A, 1250, True),
    ("布洛芬缓释胶囊", "0.3g×20粒", "中美天津史克", Drug.Coverage.B, 1880, False),
    ("硝苯地平控释片", "30mg×7片", "拜耳医药", Drug.Coverage.B, 3260, True),
    ("二甲双胍片", "0.5g×20片", "中美上海施贵宝", Drug.Coverage.A, 2150, True),
    ("复方甘草片", "100片", "北京双鹤", Drug.Coverage.A, 650, True),
    ("苯磺酸氨氯地平片", "5mg×28片", "辉瑞制药", Drug.Coverage.A, 2980, True),
    ("阿托伐他汀钙片", "20mg×7片", "辉瑞制药", Drug.Coverage.B, 4120, True),
    ("蒙脱石散", "3g×10袋", "博福-益普生", Drug.Coverage.B, 1560, False),
    ("维生素C泡腾片", "1g×15片", "拜耳医药", Drug.Coverage.C, 3990, False),
]

SLOT_TIMES = [(time(8, 30), time(9, 0)), (time(9, 30), time(10, 0)), (time(14, 30), time(15, 0))]

# A week at the kiosk for 张大爷 (hypertension on file): (days ago, systolic, diastolic, pulse, fasting glucose)
WEEK = [
    (7, 138, 86, 74, "6.1"),
    (6, 142, 88, 78, None),
    (5, 136, 84, 72, "5.9"),
    (4, 134, 82, 70, None),
    (3, 139, 87, 76, "6.3"),
    (2, 131, 80, 71, None),
    (1, 133, 83, 73, "5.8"),
]

POLICIES = [
    (
        "门诊慢特病待遇认定：高血压、糖尿病患者看这里",
        "在白云社区可就近申请，材料齐全最快 5 个工作日办结。",
        "参加衢州市基本医疗保险的高血压、糖尿病患者，可申请门诊慢特病待遇认定。认定后门诊费用按慢特病标准报销，"
        "起付线更低、报销比例更高。可在「邻礼通」医保到家提交申请，社区工作人员审核后报送医保部门。",
        60,
        "",
    ),
    (
        "医保个人账户家庭共济怎么用",
        "个人账户可为配偶、父母、子女支付医药费用。",
        "职工医保个人账户可用于支付本人及其配偶、父母、子女在定点医疗机构、定点零售药店发生的由个人负担的医疗费用。"
        "在博爱幸福驿站自助售药机取药时，目录内药品可直接使用医保个账支付。",
        None,
        "",
    ),
]


def seed(log):
    baiyun = Community.objects.get(code="baiyun")
    devices = {}
    for code, kind, name, config in DEVICES:
        device = Device.objects.filter(code=code).first()
        if device is None:
            # Registered like any device: its secret is issued and stored encrypted (not shown here;
            # `manage.py device_secret` issues a new one for the simulator).
            device, _secret = device_create(
                kind=kind,
                code=code,
                name=name,
                community=baiyun,
                street=baiyun.street,
                location="白云社区 博爱幸福驿站",
                config=config,
            )
        devices[kind] = device

    departments = {}
    for clinic_name, kind, names in DEPARTMENTS:
        clinic, _ = Clinic.objects.get_or_create(
            name=clinic_name,
            defaults={
                "kind": kind,
                "community": baiyun if kind == Clinic.Kind.CLINIC else None,
                "street": baiyun.street,
                "address": "衢州市柯城区白云街道春江月小区 博爱幸福驿站"
                if kind == Clinic.Kind.CLINIC
                else "衢州市柯城区",
                "phone": "0570-8888120",
            },
        )
        for name in names:
            departments[name], _ = Department.objects.get_or_create(clinic=clinic, name=name)

    for name, specification, manufacturer, coverage, price_fen, rx in DRUGS:
        Drug.objects.get_or_create(
            name=name,
            specification=specification,
            defaults={
                "manufacturer": manufacturer,
                "coverage": coverage,
                "price_fen": price_fen,
                "is_prescription": rx,
            },
        )

    doctor = ensure_staff_user("doctor_li", "李医生（全科）", is_staff=True)
    Membership.objects.get_or_create(
        user=doctor,
        role=Role.DOCTOR,
        scope_type=ContentType.objects.get_for_model(Department),
        scope_id=departments["全科"].pk,
        defaults={"position": "全科医生"},
    )

    today = timezone.localdate()
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        for department in (departments["全科"], departments["慢病管理"]):
            for start, end in SLOT_TIMES:
                Slot.objects.get_or_create(
                    department=department,
                    date=day,
                    start_time=start,
                    defaults={
                        "end_time": end,
                        "capacity": 6,
                        "doctor": doctor if department == departments["全科"] else None,
                    },
                )

    demo = User.objects.filter(wechat_openid="dev-demo").first()
    if demo is not None:
        profile, _ = HealthProfile.objects.get_or_create(user=demo, defaults={"family_doctor": doctor})
        HealthCondition.objects.get_or_create(profile=profile, condition=Condition.HYPERTENSION)
        kiosk = devices[Device.Kind.HEALTH_KIOSK]
        if not VitalReading.objects.filter(resident=demo).exists():
            _seed_week(demo, kiosk, today)
        # 张大爷's medical-insurance personal account in the sandbox: pays covered drugs at the drug machine.
        SandboxInsuranceAccount.objects.get_or_create(user=demo, defaults={"balance_fen": DEMO_INSURANCE_BALANCE_FEN})
        _waiting_at_the_drug_machine(demo, doctor, departments["全科"], devices[Device.Kind.DRUG_VENDING], log)

    # 王奶奶 (dev-elder, 斗潭), whose son looks after her through 亲情账号 (linli/family's demo): a week at
    # the 居家养老服务中心's kiosk, for him to read with ?on_behalf_of=.
    elder = User.objects.filter(wechat_openid="dev-elder").first()
    if elder is not None and not VitalReading.objects.filter(resident=elder).exists():
        kiosk = (
            Device.objects.filter(kind=Device.Kind.HEALTH_KIOSK, community__code="doutan").first()
            or devices[Device.Kind.HEALTH_KIOSK]
        )
        _seed_week(elder, kiosk, today)

    for title, summary, body, min_age, condition in POLICIES:
        PolicyArticle.objects.get_or_create(
            title=title,
            defaults={
                "summary": summary,
                "body": body,
                "community": baiyun,
                "min_age": min_age,
                "condition": condition,
                "status": PolicyArticle.Status.PUBLISHED,
                "published_at": timezone.now(),
                "pushed_at": timezone.now(),  # the demo does not push to anyone
            },
        )
    _console_history()
    log(
        f"health: {Department.objects.count()} departments, {Drug.objects.count()} drugs, "
        f"{Slot.objects.filter(date__gt=today).count()} upcoming slots, "
        f"{VitalReading.objects.count()} vital readings"
    )


REFILL = {
    "symptoms": "高血压复诊：血压控制尚可，降压药快吃完了，想续开一盒。",
    "diagnosis": "原发性高血压（复诊续方）",
    "drug": "苯磺酸氨氯地平片",  # 甲类: paid from the medical-insurance personal account in full
    "dosage": "每日一次，每次 1 片，早饭后口服",
}


def _sandbox_insurance() -> bool:
    try:
        return default_insurance_provider_name() == Provider.MED_INS_SANDBOX
    except DomainError:  # no insurance provider configured (production without one)
        return False


def _waiting_at_the_drug_machine(demo, doctor, department, machine, log) -> None:
    """One paid prescription of 张大爷 waiting at the drug machine, i.e. one pending `dispense` command,
    made through the real services: consultation, prescription, purchase paid from the sandbox
    personal account. Only with the sandbox insurance provider (a real one would charge somebody)."""
    if not _sandbox_insurance() or machine.status == Device.Status.DISABLED:
        return
    overdue = DeviceCommand.objects.filter(
        device=machine, status=DeviceCommand.Status.PENDING, expires_at__lte=timezone.now()
    )
    for command_id in list(overdue.values_list("pk", flat=True)):
        device_command_expire(command_id=command_id)  # as the beat would: refunded, prescription free again
    if pending_commands(machine).filter(kind="dispense").exists():
        return
    prescription = Prescription.objects.filter(
        resident=demo,
        status=Prescription.Status.ISSUED,
        valid_until__gt=timezone.now(),
        consultation__symptoms=REFILL["symptoms"],
    ).first()
    if prescription is None:
        consultation = consultation_create(resident=demo, department=department, symptoms=REFILL["symptoms"])
        consultation = consultation_accept(consultation=consultation, doctor=doctor)
        prescription = prescription_create(
            consultation=consultation,
            doctor=doctor,
            diagnosis=REFILL["diagnosis"],
            items=[{"drug": Drug.objects.get(name=REFILL["drug"]), "quantity": 1, "dosage": REFILL["dosage"]}],
        )
        consultation_close(consultation=consultation, actor=doctor, note="已开具处方，可到博爱幸福驿站自助售药机取药。")
    if machine.status != Device.Status.ONLINE:
        device_heartbeat(device=machine)  # the machine was on when 张大爷 paid (it only sells while online)
    try:
        dispense = prescription_dispense(
            prescription=prescription,
            resident=demo,
            device_code=machine.code,
            payment_method=Dispense.PaymentMethod.INSURANCE_ACCOUNT,
        )
    except DomainError as exc:  # e.g. the sandbox balance has run out after many demo purchases
        log(f"health: no dispense waiting at {machine.code}: {exc}")
        return
    log(f"health: {machine.code} has a dispense command waiting (command {dispense.command_id})")


# (days ago, type, details, status): the month of 到家办 applications of each community.
APPLICATIONS = [
    (26, InsuranceApplication.Type.CHRONIC_DISEASE, "高血压慢特病待遇认定，附近三个月门诊病历。", "approved"),
    (19, InsuranceApplication.Type.OUT_OF_AREA_CARE, "去杭州女儿家长住，办理异地就医备案。", "approved"),
    (11, InsuranceApplication.Type.REIMBURSEMENT, "外地急诊费用零星报销。", "needs_info"),
    (6, InsuranceApplication.Type.CARD_REPLACEMENT, "社保卡遗失，申请补办。", "approved"),
    (2, InsuranceApplication.Type.CHRONIC_DISEASE, "糖尿病慢特病待遇认定。", "submitted"),
    (0, InsuranceApplication.Type.REIMBURSEMENT, "住院自费部分票据报销咨询。", "submitted"),
]
# (community, days ago, title, summary): 到家推 pushes the console counts.
PUSHES = [
    ("doutan", 20, "斗潭社区老年人免费体检通知", "65 岁以上老人可到居家养老服务中心免费体检。"),
    ("doutan", 7, "冬季流感疫苗接种安排", "社区卫生服务站本周起接种流感疫苗。"),
    ("huilong", 13, "回龙社区家庭医生签约服务", "家庭医生每周三上午到回龙市集旁服务点坐诊。"),
    ("huilong", 3, "慢病长处方政策解读", "高血压、糖尿病患者可一次开具 12 周用量。"),
]


def _console_history():
    now = timezone.now()
    for code, days_ago, title, summary in PUSHES:
        community = Community.objects.get(code=code)
        at = now - timedelta(days=days_ago, hours=2)
        PolicyArticle.objects.get_or_create(
            title=title,
            defaults={
                "summary": summary,
                "body": summary,
                "community": community,
                "status": PolicyArticle.Status.PUBLISHED,
                "published_at": at,
                "pushed_at": at,
            },
        )
    for community in Community.objects.filter(code__in=["doutan", "baiyun", "huilong"]):
        applicants = list(
            User.objects.filter(
                memberships__role=Role.RESIDENT,
                memberships__community=community,
                wechat_openid__startswith=f"demo-{community.code}-",
            ).order_by("wechat_openid")
        )
        if not applicants or InsuranceApplication.objects.filter(applicant__in=applicants).exists():
            continue
        reviewer = User.objects.filter(memberships__role=Role.COMMUNITY_STAFF, memberships__community=community).first()
        for i, (days_ago, kind, details, status) in enumerate(APPLICATIONS):
            filed = now - timedelta(days=days_ago, hours=3)
            decided = filed + timedelta(days=1) if status in ("approved", "rejected") else None
            application = InsuranceApplication.objects.create(
                applicant=applicants[i % len(applicants)],
                community=community,
                type=kind,
                details=details,
                status=status,
                reviewer=reviewer if status != "submitted" else None,
                decided_at=decided,
            )
            InsuranceApplication.objects.filter(pk=application.pk).update(created_at=filed, updated_at=decided or filed)
            InsuranceApplicationHistory.objects.create(
                application=application,
                action="submit",
                to_status="submitted",
                actor=application.applicant,
                created_at=filed,
            )
            if status != "submitted":
                note = "请补充外地医院的费用明细清单" if status == "needs_info" else ""
                action = "request_info" if status == "needs_info" else "approve"
                InsuranceApplicationHistory.objects.create(
                    application=application,
                    action=action,
                    from_status="submitted",
                    to_status=status,
                    actor=reviewer,
                    note=note,
                    created_at=filed + timedelta(days=1),
                )
    doutan = Community.objects.get(code="doutan")
    if not Device.objects.filter(code="doutan-care-kiosk").exists():
        device_create(
            kind=Device.Kind.HEALTH_KIOSK,
            code="doutan-care-kiosk",
            name="居家养老服务中心健康自助机",
            community=doutan,
            street=doutan.street,
            location="斗潭社区 居家养老服务中心 1 楼",
            config={"measures": ["temperature", "blood_pressure", "heart_rate", "glucose"]},
        )


def _seed_week(user, kiosk, today):
    rows = []
    for days_ago, systolic, diastolic, pulse, glucose in WEEK:
        at = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(8, 15)))
        common = {"resident": user, "device": kiosk, "measured_at": at}
        rows.append(
            VitalReading(
                type=VitalType.BLOOD_PRESSURE,
                systolic=systolic,
                diastolic=diastolic,
                interpretation=ranges.interpret_bp(systolic, diastolic),
                **common,
            )
        )
        rows.append(
            VitalReading(
                type=VitalType.HEART_RATE,
                value=Decimal(pulse),
                interpretation=ranges.interpret(pulse, ranges.REFERENCE["heart_rate"]),
                **common,
            )
        )
        rows.append(
            VitalReading(
                type=VitalType.TEMPERATURE,
                value=Decimal("36.5"),
                interpretation="N",
                **common,
            )
        )
        if glucose:
            rows.append(
                VitalReading(
                    type=VitalType.GLUCOSE,
                    value=Decimal(glucose),
                    glucose_context="fasting",
                    interpretation=ranges.interpret(glucose, ranges.glucose_reference("fasting")),
                    **common,
                )
            )
    VitalReading.objects.bulk_create(rows)
