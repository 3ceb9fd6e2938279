from celery import shared_task


@shared_task(name="linli.payments.tasks.close_expired_intents")
def close_expired_intents() -> int:
    """Beat, every minute: close unpaid intents past their deadline (each re-locked and re-checked)."""
    from linli.payments.services import payment_intents_close_expired

    return payment_intents_close_expired()


@shared_task(name="linli.payments.tasks.payscore_catch_up")
def payscore_catch_up() -> int:
    """Beat, every 5 minutes: Pay Score charges still unpaid long after completion are asked of WeChat Pay
    (a lost USER_PAID) and applied through the payment notification handler (idempotent)."""
    from linli.payments.services import service_orders_catch_up

    return service_orders_catch_up()


@shared_task(name="linli.payments.tasks.med_ins_refunds_sync")
def med_ins_refunds_sync() -> int:
    """Beat, every 5 minutes: pending refunds of WeChat medical-insurance orders (the insurance part is
    refunded by the 医保 platform) are asked of WeChat and completed or failed through the refund handler."""
    from linli.payments.services import med_ins_refunds_sync

    return med_ins_refunds_sync()
