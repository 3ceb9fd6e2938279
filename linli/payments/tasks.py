from celery import shared_task


@shared_task(name="linli.payments.tasks.close_expired_intents")
def close_expired_intents() -> int:
    """Beat, every minute: close unpaid intents past their deadline (each re-locked and re-checked)."""
    from linli.payments.services import payment_intents_close_expired

    return payment_intents_close_expired()
