from django.apps import AppConfig


class PropertyConfig(AppConfig):
    """物业: fee items and bill runs, bills paid online or at the counter with receipts, arrears
    reminders and collection stats; vehicles and monthly parking permits."""

    name = "property"
    label = "property"
    verbose_name = "物业服务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console
        from property import dashboard, devices, receivers  # noqa: F401  (plate.read events; payment outcomes)
        from property import demo as demo_data
        from property import privacy as personal_data

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(self.label, widgets=[dashboard.collection, dashboard.arrears, dashboard.visitors])

        # The month's bills: the run is idempotent, so running it daily only adds bills for fee items,
        # rooms and vehicles that appeared since the last run.
        register_periodic("property.bill_run", "property.tasks.bill_run_current", 24 * 60 * 60.0)
        # Arrears reminders: at most one per bill per month, within the members' notification quotas.
        register_periodic("property.remind_arrears", "property.tasks.remind_arrears", 6 * 60 * 60.0)
