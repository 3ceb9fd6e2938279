"""Overdue reports go up: to the team leader once, and, still open a while later, to the district
command centre once. Each escalation is an internal step of the report's history."""

from django.db import transaction
from django.utils import timezone

from enforcement import conf, selectors
from enforcement.models import ProblemReport
from enforcement.services.reports._shared import Action, record_event, summary
from linli.notifications.services import notify


def reports_escalate_overdue(now=None) -> int:
    """Beat: each overdue report goes to its team leader once, and, still open a while later, to the
    district command centre once. Every report is re-locked and re-checked before acting."""
    now = now or timezone.now()
    working = ProblemReport.objects.filter(status__in=ProblemReport.WORKING_STATUSES, deadline_at__lt=now)
    to_leader = list(working.filter(escalation_level=0).values_list("pk", flat=True))
    to_district = list(
        working.filter(escalation_level=1, deadline_at__lt=now - conf.district_escalation_after()).values_list(
            "pk", flat=True
        )
    )
    return sum(report_escalate(report_id=pk, now=now) for pk in [*to_leader, *to_district])


@transaction.atomic
def report_escalate(*, report_id: int, now=None) -> bool:
    now = now or timezone.now()
    report = ProblemReport.objects.select_for_update(of=("self",)).select_related("category", "team").get(pk=report_id)
    if report.status not in ProblemReport.WORKING_STATUSES or report.deadline_at is None or report.deadline_at >= now:
        return False
    overdue_hours = int((now - report.deadline_at).total_seconds() // 3600)
    if report.escalation_level == 0:
        leaders = selectors.leader_ids(report.team_id)
        report.escalation_level = 1
        note = f"超期 {overdue_hours} 小时，报队长"
        recipients = leaders or selectors.dispatcher_ids()
    elif report.escalation_level == 1 and report.deadline_at < now - conf.district_escalation_after():
        report.escalation_level = 2
        note = f"超期 {overdue_hours} 小时，报区指挥中心"
        recipients = selectors.dispatcher_ids()
    else:
        return False
    report.save(update_fields=["escalation_level", "updated_at"])
    record_event(report, Action.ESCALATE, actor=None, note=note, internal=True)
    notify(
        recipients,
        "enforcement.overdue",
        "线索处置超期",
        f"{report.team} 承办的 #{report.pk} {summary(report)} {note}。",
        link=f"/staff/enforcement/reports/{report.pk}",
        data={"report": report.pk, "level": report.escalation_level},
        dedupe_key=f"enforcement:report:{report.pk}:escalate:{report.escalation_level}",
    )
    return True
