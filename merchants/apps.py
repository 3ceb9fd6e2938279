from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "merchants"
    label = "merchants"
    verbose_name = "线上市集"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console
        from merchants import dashboard, devices, receivers  # noqa: F401  (device events / command acks; payment outcomes)
        from merchants import demo as demo_data
        from merchants import privacy as personal_data
        from merchants.cache import invalidate_cards_on_write

        invalidate_cards_on_write()
        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(self.label, widgets=[dashboard.market], components=[dashboard.local_sales])

        # Member invitations nobody answered in time end as expired.
        register_periodic("merchants.expire_invitations", "merchants.tasks.expire_invitations", 60 * 60.0)
