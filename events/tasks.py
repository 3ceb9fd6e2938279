"""Beat jobs (registered in EventsConfig.ready). Thin: the services re-lock and re-check every row."""

from celery import shared_task


@shared_task(name="events.tasks.send_reminders")
def send_reminders() -> int:
    """Every 5 minutes: the 24-hour and 2-hour reminders that are due, each sent once per session."""
    from events.services import sessions_send_due_reminders

    return sessions_send_due_reminders()


@shared_task(name="events.tasks.finish_ended_events")
def finish_ended_events() -> int:
    """Every 5 minutes: events whose last session has ended become finished; absentees become no-shows."""
    from events.services import events_finish_ended

    return events_finish_ended()
