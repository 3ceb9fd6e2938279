from celery import shared_task


@shared_task(name="participation.tasks.close_due_votes")
def close_due_votes() -> int:
    """Beat: close the votes whose closing time has passed (idempotent)."""
    from participation.services.votes import votes_close_due

    return votes_close_due()
