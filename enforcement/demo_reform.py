"""Demo of the reform's figures (大综合一体化改革成效): a past period, calendar year 2024, whose
joint inspections have the seed's shape at full scale — 1,153 joint inspections → 109 problems
found → 47 cases filed from them — spread over the townships' targets, each inspection replacing
the separate visits of its 2–3 teams; plus reports of every channel with their times to dispatch
and to close. Rows are bulk-created (no history steps, so nothing of 2024 is pushed to the
province); the scenarios get their lead departments. Idempotent: the period is seeded once."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enforcement.models import (
    Case,
    CaseNumberCounter,
    Category,
    Finding,
    Inspection,
    Matter,
    ProblemReport,
    Scenario,
    Target,
    Team,
)
from enforcement.services.cases import case_number

PERIOD = (date(2024, 1, 1), date(2024, 12, 31))
JOINT_INSPECTIONS, PROBLEMS_FOUND, CASES_FILED = 1153, 109, 47
TAG = "【演示·改革成效】"

SCENARIO_LEADS = {"乡村旅游景区监管一件事": "yc-whsc", "沿街商铺监管一件事": "yc-scjg"}
# Department codes that take part with the township team, in turn, and the matter each checks.
PARTNERS = [("yc-scjg", "SC-001"), ("yc-yjgl", "XF-001"), ("yc-sthj", "HB-001"), ("yc-whsc", "LY-001")]
# Reports of the period: channel, how many, hours to dispatch, hours to close.
REPORTS = [
    (ProblemReport.Channel.RESIDENT, 12, 1.5, 30),
    (ProblemReport.Channel.GRID, 9, 0.5, 20),
    (ProblemReport.Channel.PATROL, 6, 0.25, 12),
    (ProblemReport.Channel.HOTLINE, 5, 2.0, 40),
    (ProblemReport.Channel.CAMERA, 4, 0.2, 8),
    (ProblemReport.Channel.SENSOR, 3, 0.1, 6),
    (ProblemReport.Channel.OPEN311, 2, 3.0, 48),
]


def _scenario_leads() -> None:
    for name, code in SCENARIO_LEADS.items():
        lead = Team.objects.filter(code=code).first()
        if lead is not None:
            Scenario.objects.filter(name=name, lead_team__isnull=True).update(lead_team=lead)


def _at(index: int, count: int) -> datetime:
    """The index-th of `count` moments spread evenly over the period, in office hours."""
    start, end = PERIOD
    day = start + timedelta(days=(index * ((end - start).days + 1)) // count)
    return datetime.combine(day, time(9 + index % 8, (index * 7) % 60), timezone.get_current_timezone())


def _targets(townships: list[Team]) -> list[Target]:
    targets = []
    for team in townships:
        for n, kind in enumerate((Target.Kind.SHOP, Target.Kind.RESTAURANT, Target.Kind.FARM_STAY), start=1):
            target, _ = Target.objects.get_or_create(
                street=team.street,
                name=f"{team.street.name}联查对象{n}号",
                defaults={"kind": kind, "address": f"{team.street.name}（演示）"},
            )
            targets.append(target)
    return targets


@transaction.atomic
def seed_reform_period() -> bool:
    """Seed 2024's joint inspections, problems, cases and reports once. False if already there."""
    _scenario_leads()
    if Inspection.objects.filter(summary__startswith=TAG).exists():
        return False
    townships = list(Team.objects.filter(kind=Team.Kind.TOWNSHIP_TEAM, is_active=True).select_related("street"))
    partners = [(Team.objects.filter(code=code).first(), Matter.objects.filter(code=m).first()) for code, m in PARTNERS]
    partners = [(team, matter) for team, matter in partners if team and matter]
    if not townships or not partners:
        return False
    own_matter = {team.pk: team.street.empowerments.select_related("matter").first() for team in townships}
    fallback = partners[0][1]
    targets = _targets(townships)
    team_of_street = {team.street_id: team for team in townships}
    scenarios = list(Scenario.objects.order_by("id")[:2])

    inspections, plans = [], []
    for i in range(JOINT_INSPECTIONS):
        target = targets[i % len(targets)]
        township = team_of_street[target.street_id]
        joined = [partners[i % len(partners)]] + ([partners[(i + 1) % len(partners)]] if i % 3 == 0 else [])
        done = _at(i, JOINT_INSPECTIONS)
        inspections.append(
            Inspection(
                target=target,
                kind=Inspection.Kind.ROUTINE,
                scenario=scenarios[i % len(scenarios)] if scenarios and i % 2 == 0 else None,
                lead_team=township,
                planned_at=done - timedelta(hours=1),
                status=Inspection.Status.COMPLETED,
                started_at=done - timedelta(minutes=50),
                completed_at=done,
                summary=f"{TAG}{target.name} 联合检查，一次进门、多项检查。",
            )
        )
        empowered = own_matter[township.pk]
        plans.append(
            (
                [township] + [team for team, _ in joined],
                [empowered.matter if empowered else fallback] + [matter for _, matter in joined],
            )
        )
    Inspection.objects.bulk_create(inspections)
    Teams, Matters = Inspection.teams.through, Inspection.matters.through
    Teams.objects.bulk_create(
        [Teams(inspection=ins, team=team) for ins, (teams, _) in zip(inspections, plans, strict=True) for team in teams]
    )
    Matters.objects.bulk_create(
        [
            Matters(inspection=ins, matter=matter)
            for ins, (_, matters) in zip(inspections, plans, strict=True)
            for matter in dict.fromkeys(matters)
        ]
    )

    findings = []
    for j in range(PROBLEMS_FOUND):
        ins = inspections[j * 10 + 3]
        teams, matters = plans[j * 10 + 3]
        findings.append(
            Finding(
                inspection=ins,
                matter=matters[-1],
                team=teams[-1],
                description=f"{TAG}{ins.target.name}：发现问题 {j + 1}",
                severity=Finding.Severity.MODERATE if j % 3 else Finding.Severity.MINOR,
            )
        )
    Finding.objects.bulk_create(findings)
    # auto_now_add set `created_at` to now: put each finding at its inspection's time.
    for finding in findings:
        Finding.objects.filter(pk=finding.pk).update(created_at=finding.inspection.completed_at - timedelta(minutes=20))

    year = PERIOD[0].year
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
    cases = []
    for k, finding in enumerate(findings[: CASES_FILED * 2 : 2]):
        seq = counter.last + k + 1
        filed = finding.inspection.completed_at + timedelta(days=1)
        cases.append(
            Case(
                year=year,
                seq=seq,
                number=case_number(year, seq),
                matter=finding.matter,
                team=finding.team,
                party_name=finding.inspection.target.name,
                facts=finding.description,
                finding=finding,
                filed_at=filed,
                status=Case.Status.CLOSED,
                decided_at=filed + timedelta(days=10),
                closed_at=filed + timedelta(days=20),
                push_status=Case.PushStatus.PUSHED,
                external_id=f"ZJ-DEMO-{year}-{seq:05d}",
                pushed_at=filed,
            )
        )
    Case.objects.bulk_create(cases)
    counter.last += len(cases)
    counter.save(update_fields=["last"])

    _reports(townships)
    return True


def _reports(townships: list[Team]) -> None:
    categories = list(Category.objects.select_related("matter").order_by("sort_order", "id")[:6])
    if not categories:
        return
    total = sum(count for _, count, _, _ in REPORTS)
    index = 0
    for channel, count, to_dispatch, to_close in REPORTS:
        for _ in range(count):
            team = townships[index % len(townships)]
            category = categories[index % len(categories)]
            created = _at(index, total)
            report = ProblemReport.objects.create(
                channel=channel,
                category=category,
                matter=category.matter,
                description=f"{TAG}{category.name}（{ProblemReport.Channel(channel).label}）",
                street=team.street,
                status=ProblemReport.Status.CLOSED,
                team=team,
                outcome=ProblemReport.Outcome.RECTIFIED,
                feedback="已处置并回访。",
            )
            # Spread each channel's times a little around its typical value (so medians and averages differ).
            spread = 1 + (index % 3) * 0.5
            ProblemReport.objects.filter(pk=report.pk).update(
                created_at=created,
                dispatched_at=created + timedelta(hours=to_dispatch * spread),
                deadline_at=created + timedelta(hours=72),
                resolved_at=created + timedelta(hours=to_close * spread * 0.9),
                closed_at=created + timedelta(hours=to_close * spread),
            )
            index += 1
