from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linli.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from celery.schedules import crontab

        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.notifications import demo as demo_data
        from linli.notifications import privacy as personal_data

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        register_periodic("notifications.sweep_deliveries", "linli.notifications.tasks.sweep_deliveries", 5 * 60.0)
        register_periodic(
            "notifications.purge_read", "linli.notifications.tasks.purge_read", crontab(hour=3, minute=30)
        )
