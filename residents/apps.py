from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    label = "residents"
    verbose_name = "住户与物业"

    def ready(self):
        from linli.celery import register_periodic

        # Resolved orders the resident never answered close themselves after 7 days (not rated).
        register_periodic("residents.auto_close_resolved", "residents.tasks.auto_close_resolved", 30 * 60.0)
        # Each overdue order is escalated once to the community staff.
        register_periodic("residents.escalate_overdue", "residents.tasks.escalate_overdue", 10 * 60.0)
