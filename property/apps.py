from django.apps import AppConfig


class PropertyConfig(AppConfig):
    """物业: fee items and bill runs, bills paid online or at the counter with receipts, arrears
    reminders and collection stats; vehicles and monthly parking permits."""

    name = "property"
    label = "property"
    verbose_name = "物业服务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from property import devices  # noqa: F401  (plate.read events of the gate's plate camera)
