"""Beat records its own tick as it publishes the tick task (Celery's after_task_publish runs in the
publishing process), so the tick says "beat is alive" even while no worker is there to run it: a
dead worker pool shows as a growing queue and silent pings, not as a stalled beat."""

import logging

logger = logging.getLogger(__name__)

TICK_TASK = "linli.ops.tasks.beat_tick"


def beat_tick_published(sender=None, **kwargs) -> None:
    from django.db import DatabaseError

    from linli.ops.models import Heartbeat
    from linli.ops.services import heartbeat_record

    try:
        heartbeat_record(name=Heartbeat.BEAT)
    except DatabaseError as exc:  # never stop beat publishing over its own bookkeeping
        logger.warning("ops: cannot record the beat tick: %s", type(exc).__name__)
