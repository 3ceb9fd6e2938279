from celery import shared_task


@shared_task(name="care.tasks.grant_subsidies")
def grant_subsidies() -> int:
    """Beat: this month's subsidy for every eligible elder, once per (account, month)."""
    from care.services import subsidies_grant_monthly

    return subsidies_grant_monthly()


@shared_task(name="care.tasks.expire_subsidies")
def expire_subsidies() -> int:
    """Beat: clear allowance left over past its expiry (each account re-locked and re-checked)."""
    from care.services import subsidies_expire

    return subsidies_expire()


@shared_task(name="care.tasks.generate_visits")
def generate_visits() -> int:
    """Beat: this week's and next week's visits of every active plan (one per plan and day)."""
    from care.services import visits_generate

    return visits_generate()


@shared_task(name="care.tasks.escalate_missed_visits")
def escalate_missed_visits() -> int:
    """Beat: each visit not done by the end of its day goes to the community staff, once."""
    from care.services import visits_escalate_missed

    return visits_escalate_missed()


@shared_task(name="care.tasks.escalate_alarms")
def escalate_alarms() -> int:
    """Beat: page everyone again for each SOS alarm nobody acknowledged in time (each level once)."""
    from care.services.alarms import alarms_escalate

    return alarms_escalate()


@shared_task(name="care.tasks.bill_childcare_fees")
def bill_childcare_fees() -> int:
    """Beat: this month's fee bill of every enrolled child (one per enrolment and month)."""
    from care.services.childcare import fee_bills_generate

    return fee_bills_generate()
