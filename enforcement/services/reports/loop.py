"""The loop itself, 派遣 → 受理 → 处置 → 反馈 → 办结, and what residents and staff do along it:
rate, follow, merge duplicates. Every status change is a transition of `ProblemReport.workflow`."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement import selectors
from enforcement.models import Matter, ProblemReport, ReportFollower, Team
from enforcement.public import public_text
from enforcement.services._common import check_photos, field_error
from enforcement.services.reports._shared import (
    Action,
    Outcome,
    Status,
    lock_report,
    move,
    record_event,
    require_dispatcher,
    require_team_officer,
)
from enforcement.services.reports.routing import dispatch_to
from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError, InvalidTransition, NotFoundError
from linli.notifications.services import notify
from linli.uploads.models import Upload
from linli.uploads.services import attachments_add


@transaction.atomic
def report_dispatch(*, report: ProblemReport, actor: User, team: Team, note: str = "") -> ProblemReport:
    require_dispatcher(actor)
    report = lock_report(report)
    if not team.is_active:
        raise field_error("team", "该队伍已停用")
    dispatch_to(report, team, actor=actor, action=Action.DISPATCH, note=note or f"派遣至「{team.name}」")
    return report


@transaction.atomic
def report_reroute(
    *, report: ProblemReport, actor: User, team: Team, reason: str, matter: Matter | None = None
) -> ProblemReport:
    """The dispatcher sends a report to another team (and maybe another matter), with a reason."""
    require_dispatcher(actor)
    report = lock_report(report)
    if team.pk == report.team_id and (matter is None or matter.pk == report.matter_id):
        raise field_error("team", "已由该队伍承办")
    changes = {}
    if matter is not None:
        report.matter = changes["matter"] = matter  # the new matter's deadline applies
    dispatch_to(report, team, actor=actor, action=Action.REROUTE, note=f"改派至「{team.name}」：{reason}", **changes)
    return report


@transaction.atomic
def report_accept(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    from enforcement.services.dispatch import offers_settle_on_accept

    report = lock_report(report)
    require_team_officer(actor, report)
    move(report, Action.ACCEPT, actor=actor, note=note, assignee=actor)
    offers_settle_on_accept(report, actor=actor, now=timezone.now())
    return report


@transaction.atomic
def report_handle(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    report = lock_report(report)
    require_team_officer(actor, report)
    move(report, Action.HANDLE, actor=actor, note=note)
    return report


@transaction.atomic
def report_outcome(
    *,
    report: ProblemReport,
    actor: User,
    outcome: str,
    note: str = "",
    photos: Sequence[Upload] = (),
    case: dict | None = None,
) -> ProblemReport:
    """Record how it was handled. `case_filed` files a case from the report unless one exists.
    `photos` (the officer's own uploads, after photos) are added after the report's."""
    from enforcement.services.cases import case_file

    report = lock_report(report)
    require_team_officer(actor, report)
    needs_case = outcome == Outcome.CASE_FILED and not report.cases.exists()
    if needs_case and not case:
        raise field_error("case", "立案须提供当事人与违法事实")
    photos = check_photos(actor, photos, already=report.photo_links.count()) if photos else []
    move(
        report,
        Action.OUTCOME,
        actor=actor,
        note=note,
        outcome=outcome,
        outcome_note=note,
        resolved_at=timezone.now(),
    )
    attachments_add(report, "photos", photos)
    if needs_case:
        case_file(actor=actor, matter=report.matter, team=report.team, report=report, **case)
    return report


def _reporter_to_tell(report: ProblemReport) -> int | None:
    if report.reporter_id and report.channel in (ProblemReport.Channel.RESIDENT, ProblemReport.Channel.OPEN311):
        return report.reporter_id
    return None


@transaction.atomic
def report_feedback(*, report: ProblemReport, actor: User, feedback: str) -> ProblemReport:
    """Tell the reporter and every follower (including reporters of merged duplicates) the outcome.
    Followers are told what the public may see: the feedback with phones and ID numbers masked."""
    report = lock_report(report)
    require_team_officer(actor, report)
    move(report, Action.FEEDBACK, actor=actor, feedback=feedback)
    reporter_id = _reporter_to_tell(report)
    reporter = [reporter_id] if reporter_id else []
    followers = [
        user_id
        for user_id in ReportFollower.objects.filter(report=report).values_list("user_id", flat=True)
        if user_id != reporter_id
    ]
    for audience, text in ((reporter, feedback), (followers, public_text(feedback))):
        notify(
            audience,
            "enforcement.feedback",
            "您关注的问题已处理",
            f"{report.category.name}：{report.get_outcome_display()}。{text}",
            link=f"/pages/enforcement/reports/detail?id={report.pk}",
            data={"report": report.pk, "outcome": report.outcome},
            dedupe_key=f"enforcement:report:{report.pk}:feedback",
        )
    return report


@transaction.atomic
def report_close(*, report: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    report = lock_report(report)
    require_team_officer(actor, report)
    move(report, Action.CLOSE, actor=actor, note=note, closed_at=timezone.now())
    return report


@transaction.atomic
def report_rate(*, report: ProblemReport, user: User, rating: int, comment: str = "") -> ProblemReport:
    report = lock_report(report)
    if report.reporter_id != user.pk:
        raise NotFoundError()
    if report.status not in (Status.FEEDBACK, Status.CLOSED):
        raise InvalidTransition("处理结果反馈后才能评价")
    if report.rating is not None:
        raise ConflictError("已评价过", code="already_rated")
    report.rating, report.rating_comment = rating, comment
    report.save(update_fields=["rating", "rating_comment", "updated_at"])
    record_event(report, Action.RATE, actor=user, note=f"{rating} 星")
    return report


@transaction.atomic
def report_follow(*, report: ProblemReport, user: User) -> ProblemReport:
    if report.reporter_id == user.pk:
        return report
    try:
        with transaction.atomic():
            ReportFollower.objects.create(report=report, user=user)
    except IntegrityError:
        pass  # already following
    return report


@transaction.atomic
def report_set_public(*, report: ProblemReport, user: User, is_public: bool) -> ProblemReport:
    """The reporter shows (or hides again) the description and photos to followers and Open311."""
    updated = ProblemReport.objects.filter(pk=report.pk, reporter=user).update(
        is_public=is_public, updated_at=timezone.now()
    )
    if not updated:
        raise NotFoundError()
    return report


@transaction.atomic
def report_unfollow(*, report: ProblemReport, user: User) -> None:
    ReportFollower.objects.filter(report=report, user=user).delete()


@transaction.atomic
def report_merge(*, report: ProblemReport, into: ProblemReport, actor: User, note: str = "") -> ProblemReport:
    """Merge a duplicate into the report that goes on: its reporter and followers follow that one."""
    if report.pk == into.pk:
        raise field_error("into", "不能合并到自身")
    first, second = sorted([report.pk, into.pk])
    locked = {r.pk: r for r in ProblemReport.objects.select_for_update().filter(pk__in=[first, second])}
    report, into = locked[report.pk], locked[into.pk]
    if not (
        selectors.is_dispatcher(actor)
        or (selectors.is_officer_of(actor, report.team_id) and report.team_id == into.team_id)
    ):
        raise ForbiddenError("只有调度员或同时承办两条线索的队伍可以合并", code="not_dispatcher")
    if into.status == Status.MERGED:
        raise field_error("into", "目标线索本身已被合并")
    if into.category_id != report.category_id:
        raise field_error("into", "只能合并同类问题")
    move(report, Action.MERGE, actor=actor, note=note or f"合并至 #{into.pk}", merged_into=into)
    audience = set(ReportFollower.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        audience.add(report.reporter_id)
    audience.discard(into.reporter_id)
    ReportFollower.objects.bulk_create(
        [ReportFollower(report=into, user_id=user_id) for user_id in sorted(audience)], ignore_conflicts=True
    )
    ProblemReport.objects.filter(merged_into=report).update(merged_into=into)
    record_event(into, Action.NOTE, actor=actor, note=f"合并了重复线索 #{report.pk}", internal=True)
    return report
