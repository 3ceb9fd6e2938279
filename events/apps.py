from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = "社区活动"

    def ready(self):
        from linli.celery import register_periodic

        # Both jobs scan for due work and re-lock each row before acting, so running them more
        # often (or twice at once) never sends a reminder twice or finishes an event twice.
        register_periodic("events.send_reminders", "events.tasks.send_reminders", 300.0)
        register_periodic("events.finish_ended_events", "events.tasks.finish_ended_events", 300.0)
