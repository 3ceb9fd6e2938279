from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "linli.devices"
    label = "devices"
    verbose_name = "智能终端"

    def ready(self):
        from linli.celery import register_periodic

        register_periodic("devices.mark_offline", "linli.devices.tasks.mark_offline_devices", 60.0)
        register_periodic("devices.expire_commands", "linli.devices.tasks.expire_commands", 60.0)
