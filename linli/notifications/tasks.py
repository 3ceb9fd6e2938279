"""Celery tasks of the notifications: thin wrappers taking ids. Safe to run twice (see services)."""

from celery import shared_task

from linli.notifications.services import TransientDeliveryError


@shared_task(name="linli.notifications.tasks.dispatch", acks_late=True, reject_on_worker_lost=True)
def dispatch(notification_ids: list[int]) -> int:
    """Plan the pushes of one chunk of notifications and enqueue a `send` per delivery."""
    from linli.notifications.services import notifications_dispatch

    return notifications_dispatch(notification_ids=notification_ids)


@shared_task(
    bind=True,
    name="linli.notifications.tasks.send",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=5,  # 5 s, 10 s, 20 s … (each with full jitter) up to retry_backoff_max
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send(self, delivery_id: int) -> str:
    """Send one delivery at most once; transient provider failures retry, the last one marks it failed."""
    from linli.notifications.services import delivery_send

    return delivery_send(delivery_id=delivery_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="linli.notifications.tasks.sweep_deliveries")
def sweep_deliveries() -> dict:
    """Beat, every 5 minutes: dispatch lost chunks, re-enqueue lost sends, fail sends stuck mid-flight."""
    from linli.notifications.services import deliveries_sweep

    return deliveries_sweep()


@shared_task(name="linli.notifications.tasks.purge_read")
def purge_read() -> int:
    """Beat, nightly: delete inbox messages read longer ago than NOTIFICATION_READ_RETENTION_DAYS."""
    from linli.notifications.services import notifications_purge_read

    return notifications_purge_read()
