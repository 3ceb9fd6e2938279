from django.apps import AppConfig


class HealthConfig(AppConfig):
    """医保到家: consultations, prescriptions and drug vending, appointments, vitals, insurance services, policies."""

    name = "health"
    label = "health"
    verbose_name = "医保到家"

    def ready(self):
        from celery.schedules import crontab

        from health import dashboard, devices, receivers  # noqa: F401  (device handlers; payment outcome receivers)
        from health import demo as demo_data
        from health import privacy as personal_data
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(self.label, widgets=[dashboard.health])
        register_periodic("health.appointment_reminders", "health.tasks.send_appointment_reminders", crontab(minute=5))
        register_periodic("health.expire_prescriptions", "health.tasks.expire_prescriptions", crontab(minute="*/10"))
        register_periodic("health.expire_kiosk_sessions", "health.tasks.expire_kiosk_sessions", crontab(minute="*/5"))
