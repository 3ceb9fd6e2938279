"""Cases (立案): per-year numbers decided by the database, the case's transitions (`Case.workflow`,
each a `CaseHistory` row), the push to the provincial platform and the status updates pulled back
from it (steps of the history that leave the case's status alone)."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement import provincial, selectors
from enforcement.models import Case, CaseHistory, CaseNumberCounter, Matter, PlatformCursor, PlatformUpdate, Team
from enforcement.services._common import field_error
from linli.accounts.models import Role, User
from linli.api.errors import ForbiddenError, InvalidTransition
from linli.workflow import record_step, transition

logger = logging.getLogger(__name__)

Status = Case.Status
Action = CaseHistory.Action

UPDATES_FEED = "case_updates"


def case_number(year: int, seq: int) -> str:
    return f"越综执立〔{year}〕{seq:05d}号"


def _next_seq(year: int) -> int:
    """The next number of the year: the year's counter row, locked until our transaction ends.

    Two first cases of a new year race to create the row: the loser's insert fails on the primary
    key (inside a savepoint) and it then waits for the winner's lock like everyone else."""
    counter = CaseNumberCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass
        counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _require_officer(actor: User, team_id: int) -> None:
    if not (selectors.is_dispatcher(actor) or selectors.is_officer_of(actor, team_id)):
        raise ForbiddenError("只有办案队伍的执法人员可以办理案件", code="not_team_officer")


@transaction.atomic
def case_file(
    *,
    actor: User,
    matter: Matter,
    party_name: str,
    facts: str,
    party_code: str = "",
    team: Team | None = None,
    report=None,
    finding=None,
) -> Case:
    """File a case; after commit it is pushed to the provincial platform (retried with backoff)."""
    from enforcement.tasks import push_case

    if team is None:
        teams = selectors.team_ids_of(actor, Role.OFFICER)
        if len(teams) != 1:
            raise field_error("team", "请指定办案队伍")
        team = Team.objects.get(pk=teams.pop())
    _require_officer(actor, team.pk)
    now = timezone.now()
    year = timezone.localdate(now).year
    seq = _next_seq(year)
    case = Case.objects.create(
        year=year,
        seq=seq,
        number=case_number(year, seq),
        matter=matter,
        team=team,
        party_name=party_name,
        party_code=party_code,
        facts=facts,
        report=report,
        finding=finding,
        filed_by=actor,
        filed_at=now,
    )
    record_step(case, Action.FILE, from_status="", actor=actor, note=case.number)
    transaction.on_commit(lambda: push_case.delay(case.pk))
    return case


def _lock_for(case: Case, actor: User) -> Case:
    """The case re-read under its row lock, once the actor is known to be of its team."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_officer(actor, case.team_id)
    return case


@transaction.atomic
def case_investigate(*, case: Case, actor: User, note: str = "") -> Case:
    case = _lock_for(case, actor)
    transition(case, Action.INVESTIGATE, actor=actor, note=note, locked=True)
    return case


@transaction.atomic
def case_decide(*, case: Case, actor: User, decision: str, penalty_fen: int | None = None) -> Case:
    case = _lock_for(case, actor)
    transition(
        case,
        Action.DECIDE,
        actor=actor,
        note=decision,
        locked=True,
        decision=decision,
        penalty_fen=penalty_fen,
        decided_at=timezone.now(),
    )
    return case


@transaction.atomic
def case_close(*, case: Case, actor: User, note: str = "") -> Case:
    case = _lock_for(case, actor)
    transition(case, Action.CLOSE, actor=actor, note=note, locked=True, closed_at=timezone.now())
    return case


# --- the provincial platform -------------------------------------------------------------------


def push_key(case: Case) -> str:
    """ASCII (it travels in a header) and stable for the case: the platform's dedupe key."""
    return f"linli-case-{case.year}-{case.seq:05d}"


def case_payload(case: Case) -> dict:
    return {
        "case_number": case.number,
        "year": case.year,
        "matter_code": case.matter.code,
        "matter_name": case.matter.name,
        "domain": case.matter.domain.name,
        "team": case.team.name,
        "team_kind": case.team.kind,
        "street": case.team.street.name if case.team.street_id else "",
        "party_name": case.party_name,
        "party_code": case.party_code,
        "facts": case.facts,
        "status": case.status,
        "filed_at": timezone.localtime(case.filed_at).isoformat(),
        "source": {"report_id": case.report_id, "finding_id": case.finding_id},
    }


def case_push(*, case_id: int, final: bool = False) -> bool:
    """Push one case (no lock held during the HTTP call; the platform dedupes by `push_key`).

    A transient failure is recorded and re-raised for Celery to retry, except on the `final`
    attempt, where the case is marked failed. True when this call saved the external id."""
    case = Case.objects.select_related("matter__domain", "team__street").get(pk=case_id)
    if case.external_id:
        return False
    try:
        external_id = provincial.client().push_case(case_payload(case), idempotency_key=push_key(case))
    except provincial.ProvincialUnavailable as exc:
        _push_failed(case_id, str(exc), final=final)
        if final:
            return False
        raise
    except provincial.ProvincialRejected as exc:
        _push_failed(case_id, str(exc), final=True)
        return False
    return _push_succeeded(case_id, external_id)


@transaction.atomic
def _push_failed(case_id: int, error: str, *, final: bool) -> None:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.external_id:
        return
    case.push_attempts += 1
    case.push_error = error[:500]
    update = ["push_attempts", "push_error", "updated_at"]
    if final:
        case.push_status = Case.PushStatus.FAILED
        update.append("push_status")
    case.save(update_fields=update)
    if final:
        record_step(case, Action.PUSH_FAILED, note=error)
    logger.warning("case %s push attempt %s failed: %s", case.number, case.push_attempts, error)


@transaction.atomic
def _push_succeeded(case_id: int, external_id: str) -> bool:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.external_id:
        return False
    case.external_id = external_id
    case.push_status = Case.PushStatus.PUSHED
    case.push_attempts += 1
    case.pushed_at = timezone.now()
    case.push_error = ""
    case.save(update_fields=["external_id", "push_status", "push_attempts", "pushed_at", "push_error", "updated_at"])
    record_step(case, Action.PUSHED, note=f"省平台编号 {external_id}")
    return True


@transaction.atomic
def case_push_again(*, case: Case, actor: User) -> Case:
    """Staff retry a push that ran out of retries (or was refused)."""
    from enforcement.tasks import push_case

    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_officer(actor, case.team_id)
    if case.external_id:
        raise InvalidTransition("案件已推送省平台", code="already_pushed")
    if case.push_status != Case.PushStatus.FAILED:
        raise InvalidTransition("案件正在推送，请稍后查看", code="push_in_progress")
    case.push_status = Case.PushStatus.PENDING
    case.save(update_fields=["push_status", "updated_at"])
    transaction.on_commit(lambda: push_case.delay(case.pk))
    return case


def cases_stuck_in_push(now=None) -> list[int]:
    """Pending pushes older than an hour whose task was lost (broker restart, …)."""
    now = now or timezone.now()
    stale = Case.objects.filter(
        push_status=Case.PushStatus.PENDING, external_id__isnull=True, updated_at__lt=now - timedelta(hours=1)
    )
    return list(stale.values_list("pk", flat=True)[:100])


@transaction.atomic
def platform_update_apply(update: provincial.CaseUpdate) -> bool:
    """Apply a pulled status update once (by its id), and never an older one over a newer one."""
    if PlatformUpdate.objects.filter(update_id=update.update_id).exists():
        return False
    case = Case.objects.select_for_update().filter(external_id=update.external_id).first()
    newer = case is not None and (case.platform_status_at is None or update.occurred_at > case.platform_status_at)
    try:
        with transaction.atomic():
            PlatformUpdate.objects.create(
                update_id=update.update_id,
                case=case,
                external_id=update.external_id,
                status=update.status,
                occurred_at=update.occurred_at,
                payload=update.raw,
                applied=newer,
            )
    except IntegrityError:
        return False  # another puller got it first
    if not newer:
        return False
    case.platform_status = update.status
    case.platform_status_at = update.occurred_at
    case.save(update_fields=["platform_status", "platform_status_at", "updated_at"])
    note = f"省平台：{update.status}" + (f"（{update.note}）" if update.note else "")
    record_step(case, Action.PLATFORM_UPDATE, note=note)
    return True


def platform_updates_pull() -> int:
    """Beat: fetch updates since the saved cursor, apply each once, then move the cursor."""
    cursor_row, _ = PlatformCursor.objects.get_or_create(name=UPDATES_FEED)
    updates, cursor = provincial.client().fetch_updates(cursor_row.cursor)
    applied = sum(platform_update_apply(update) for update in updates)
    if cursor and cursor != cursor_row.cursor:
        PlatformCursor.objects.filter(name=UPDATES_FEED).update(cursor=cursor, updated_at=timezone.now())
    return applied
