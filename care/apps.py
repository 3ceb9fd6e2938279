from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "care"
    label = "care"
    verbose_name = "一老一小"

    def ready(self):
        from care import (  # noqa: F401  (payment outcomes)
            dashboard,
            devices,
            receivers,
        )
        from care import demo as demo_data
        from care import privacy as personal_data
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(
            self.label, widgets=[dashboard.care_orders, dashboard.visits, dashboard.subsidy, dashboard.alarms]
        )

        # The month's allowance for every eligible elder: once per (account, month) however often it runs.
        register_periodic("care.grant_subsidies", "care.tasks.grant_subsidies", 60 * 60.0)
        # Unspent allowance past its expiry is cleared (first granted, first spent).
        register_periodic("care.expire_subsidies", "care.tasks.expire_subsidies", 60 * 60.0)
        # This week's and next week's visits of every active plan.
        register_periodic("care.generate_visits", "care.tasks.generate_visits", 6 * 60 * 60.0)
        # A visit not done by the end of its day goes to the community staff, once.
        register_periodic("care.escalate_missed_visits", "care.tasks.escalate_missed_visits", 30 * 60.0)
        # An SOS alarm nobody acknowledged is paged again every CARE_ALARM_ESCALATE_MINUTES, each level once.
        register_periodic("care.escalate_alarms", "care.tasks.escalate_alarms", 60.0)
        # This month's 托育 fee bill of every enrolled child (idempotent: one per enrolment and month).
        register_periodic("care.bill_childcare_fees", "care.tasks.bill_childcare_fees", 6 * 60 * 60.0)
