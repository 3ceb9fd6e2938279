from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "merchants"
    label = "merchants"
    verbose_name = "线上市集"

    def ready(self):
        # Payment outcomes (signals) and device events / command acks (the device registry).
        from merchants import devices, receivers  # noqa: F401
