from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    label = "residents"
    verbose_name = "住户与物业"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console
        from residents import dashboard
        from residents import demo as demo_data
        from residents import privacy as personal_data
        from residents.cache import invalidate_cards_on_write

        invalidate_cards_on_write()
        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(
            self.label, widgets=[dashboard.work_orders], components=[dashboard.response, dashboard.satisfaction]
        )

        # Resolved orders the resident never answered close themselves after 7 days (not rated).
        register_periodic("residents.auto_close_resolved", "residents.tasks.auto_close_resolved", 30 * 60.0)
        # Each overdue order is escalated once to the community staff.
        register_periodic("residents.escalate_overdue", "residents.tasks.escalate_overdue", 10 * 60.0)
