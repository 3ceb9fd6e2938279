from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = "社区活动"

    def ready(self):
        from events import cache, dashboard
        from events import demo as demo_data
        from events import privacy as personal_data
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(
            self.label,
            widgets=[dashboard.registrations, dashboard.volunteer_hours],
            components=[dashboard.participation],
        )
        cache.invalidate_cards_on_write()

        # Both jobs scan for due work and re-lock each row before acting, so running them more
        # often (or twice at once) never sends a reminder twice or finishes an event twice.
        register_periodic("events.send_reminders", "events.tasks.send_reminders", 300.0)
        register_periodic("events.finish_ended_events", "events.tasks.finish_ended_events", 300.0)
