from celery import shared_task


@shared_task(name="property.tasks.bill_run_current")
def bill_run_current() -> int:
    """Beat: issue this month's bills (idempotent: a second run the same month creates nothing)."""
    from django.utils import timezone

    from property.services.fees import bill_run

    return bill_run(period=timezone.localdate()).created


@shared_task(name="property.tasks.remind_arrears")
def remind_arrears() -> int:
    """Beat: remind households of overdue bills, once per bill per month."""
    from property.services.bills import bills_remind_arrears

    return bills_remind_arrears()
