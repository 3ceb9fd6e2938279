from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linli.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from celery.schedules import crontab

        from linli.celery import register_periodic

        register_periodic("notifications.sweep_deliveries", "linli.notifications.tasks.sweep_deliveries", 5 * 60.0)
        register_periodic(
            "notifications.purge_read", "linli.notifications.tasks.purge_read", crontab(hour=3, minute=30)
        )
