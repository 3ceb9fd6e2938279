from celery import shared_task


@shared_task(name="residents.tasks.auto_close_resolved")
def auto_close_resolved() -> int:
    """Beat: close resolved orders the resident left unanswered for 7 days (each re-locked and re-checked)."""
    from residents.services import work_orders_auto_close_due

    return work_orders_auto_close_due()


@shared_task(name="residents.tasks.escalate_overdue")
def escalate_overdue() -> int:
    """Beat: tell the community staff about each overdue order, once (escalated_at is set under lock)."""
    from residents.services import work_orders_escalate_overdue

    return work_orders_escalate_overdue()
