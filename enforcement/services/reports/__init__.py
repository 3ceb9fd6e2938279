"""The problem-report loop: 上报 → 派遣 → 受理 → 处置 → 反馈 → 办结.

Reports move only through `linli.workflow.transition` with the table on `ProblemReport.workflow`;
each step is a `ReportHistory` row (who, when, from, to, note, internal or not), and steps that
leave the status alone (ratings, notes, requests, escalations) are `record_step` rows. Routing
follows the township empowerment lists; overdue reports escalate to the team leader, then the
district.

    filing         report_create / report_submit / report_file_by_staff
    routing        where a new report goes (the responsible team or the dispatchers)
    loop           dispatch, reroute, accept, handle, outcome, feedback, close, rate, follow, merge,
                   set_public (the reporter's choice)
    team_requests  return and extension requests and the dispatcher's decision
    escalation     overdue reports to the leader, then the district
"""

from enforcement.services.reports._shared import PossibleDuplicate, RequestPending, record_event
from enforcement.services.reports.escalation import report_escalate, reports_escalate_overdue
from enforcement.services.reports.filing import report_create, report_file_by_staff, report_submit
from enforcement.services.reports.loop import (
    report_accept,
    report_close,
    report_dispatch,
    report_feedback,
    report_follow,
    report_handle,
    report_merge,
    report_outcome,
    report_rate,
    report_reroute,
    report_set_public,
    report_unfollow,
)
from enforcement.services.reports.team_requests import (
    report_request_decide,
    report_request_extension,
    report_request_return,
)

__all__ = [
    "PossibleDuplicate",
    "RequestPending",
    "record_event",
    "report_accept",
    "report_close",
    "report_create",
    "report_dispatch",
    "report_escalate",
    "report_feedback",
    "report_file_by_staff",
    "report_follow",
    "report_handle",
    "report_merge",
    "report_outcome",
    "report_rate",
    "report_request_decide",
    "report_request_extension",
    "report_request_return",
    "report_reroute",
    "report_set_public",
    "report_submit",
    "report_unfollow",
    "reports_escalate_overdue",
]
