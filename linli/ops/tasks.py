"""Beat jobs of the operations watch (registered in OpsConfig.ready). Both are idempotent."""

from celery import shared_task


@shared_task(acks_late=True, expires=120)
def beat_tick() -> str:
    """Beat's proof of life: the tick time lands in the database, where every host sees it. Expires
    unrun after two minutes: a tick that waited in a long queue says nothing about beat now."""
    from linli.ops.models import Heartbeat
    from linli.ops.services import heartbeat_record

    return heartbeat_record(name=Heartbeat.BEAT).beat_at.isoformat()


@shared_task(acks_late=True, expires=120)
def check_health() -> int:
    """Open or resolve the alert rows (beat stalled, queue backlog); returns how many are open."""
    from linli.ops.services import alerts_evaluate

    return len(alerts_evaluate())
