"""Celery tasks of enforcement: thin wrappers taking ids; each service re-checks before acting."""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from enforcement.provincial import ProvincialError, ProvincialUnavailable

logger = logging.getLogger(__name__)


PUSH_BACKOFF_SECONDS = 30
PUSH_BACKOFF_MAX_SECONDS = 30 * 60


@shared_task(bind=True, name="enforcement.tasks.push_case", max_retries=8, acks_late=True)
def push_case(self, case_id: int) -> bool:
    """Push a filed case to the provincial platform. Transient failures (connection, timeout, 429,
    5xx) retry with exponential backoff and jitter (30 s, 1 min, 2 min … capped at 30 min); the last
    attempt records the failure on the case instead of raising (staff can push again).

    Celery's `autoretry_for` would do the same on a worker, but in eager mode (the embedded default,
    tests) its Retry escapes into the caller's request; here an eager retry simply runs again."""
    from enforcement.services.cases import case_push

    try:
        return case_push(case_id=case_id, final=self.request.retries >= self.max_retries)
    except ProvincialUnavailable as exc:
        countdown = get_exponential_backoff_interval(
            factor=PUSH_BACKOFF_SECONDS,
            retries=self.request.retries,
            maximum=PUSH_BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        return self.retry(exc=exc, countdown=countdown, throw=not self.request.is_eager)


@shared_task(name="enforcement.tasks.escalate_overdue")
def escalate_overdue() -> int:
    from enforcement.services.reports import reports_escalate_overdue

    return reports_escalate_overdue()


@shared_task(name="enforcement.tasks.pull_platform_updates")
def pull_platform_updates() -> int:
    from enforcement.services.cases import platform_updates_pull

    try:
        return platform_updates_pull()
    except ProvincialError as exc:  # the next beat tries again from the same cursor
        logger.warning("pulling platform updates failed: %s", exc)
        return 0


@shared_task(name="enforcement.tasks.retry_failed_pushes")
def retry_failed_pushes() -> int:
    """Beat: re-enqueue pushes that have been pending for over an hour (their task was lost)."""
    from enforcement.services.cases import cases_stuck_in_push

    ids = cases_stuck_in_push()
    for case_id in ids:
        push_case.delay(case_id)
    return len(ids)


# --- provincial sync of reports and inspections (services/sync.py) -------------------------------


@shared_task(bind=True, name="enforcement.tasks.push_record", max_retries=8, acks_late=True)
def push_record(self, kind: str, object_id: int) -> bool:
    """Push the current version of a report or an inspection; retried like `push_case`."""
    from enforcement.services.sync import record_push

    try:
        return record_push(kind=kind, object_id=object_id, final=self.request.retries >= self.max_retries)
    except ProvincialUnavailable as exc:
        countdown = get_exponential_backoff_interval(
            factor=PUSH_BACKOFF_SECONDS,
            retries=self.request.retries,
            maximum=PUSH_BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        return self.retry(exc=exc, countdown=countdown, throw=not self.request.is_eager)


@shared_task(name="enforcement.tasks.pull_sync_updates")
def pull_sync_updates() -> int:
    """Beat: status updates of pushed reports and inspections; a broken feed is tried again next time."""
    from enforcement.models import SyncKind
    from enforcement.services.sync import sync_updates_pull

    applied = 0
    for kind in SyncKind.values:
        try:
            applied += sync_updates_pull(kind)
        except ProvincialError as exc:
            logger.warning("pulling %s updates failed: %s", kind, exc)
    return applied


@shared_task(name="enforcement.tasks.retry_stuck_record_pushes")
def retry_stuck_record_pushes() -> int:
    """Beat: re-enqueue record pushes pending for over an hour (their task was lost)."""
    from enforcement.services.sync import records_stuck_in_push

    stuck = records_stuck_in_push()
    for kind, object_id in stuck:
        push_record.delay(kind, object_id)
    return len(stuck)


@shared_task(name="enforcement.tasks.expire_offers")
def expire_offers() -> int:
    """Beat: duty offers nobody accepted in time go to the next nearest on-duty officer."""
    from enforcement.services.dispatch import offers_expire

    return offers_expire()
