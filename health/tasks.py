"""Celery tasks of the health app: thin wrappers, idempotent (each re-checks under a lock before acting)."""

from celery import shared_task


@shared_task
def send_appointment_reminders() -> int:
    """Beat: remind tomorrow's appointments, each once."""
    from health.services.appointments import appointment_remind, appointments_due_for_reminder

    return sum(appointment_remind(appointment_id=pk) for pk in appointments_due_for_reminder())


@shared_task
def expire_prescriptions() -> int:
    from health.services.consultations import prescriptions_expire

    return prescriptions_expire()


@shared_task
def expire_kiosk_sessions() -> int:
    from health.services.vitals import kiosk_sessions_expire

    return kiosk_sessions_expire()


@shared_task
def push_policy(article_id: int) -> int:
    """After a policy article is published: notify its audience once."""
    from health.services.policies import policy_push

    return policy_push(article_id=article_id)
