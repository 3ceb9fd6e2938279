"""What enforcement does, through the platform, when its own signals fire."""

from enforcement.models import ProblemReport
from enforcement.signals import problem_report_confirmed
from linli.points.earning import points_earn
from linli.points.models import EarningRuleKey


def award_the_reporter(sender, report: ProblemReport, **kwargs) -> None:
    """A resident whose report turned out real earns 问题上报被确认 (the district's rule: reports belong to
    townships, not communities). Staff, devices and hotline callers earn nothing; once per report."""
    if report.channel != ProblemReport.Channel.RESIDENT or report.reporter_id is None:
        return
    points_earn(user=report.reporter, rule=EarningRuleKey.PROBLEM_REPORT_CONFIRMED, community=None, source=report)


def connect() -> None:
    problem_report_confirmed.connect(award_the_reporter, dispatch_uid="enforcement.award_the_reporter")
