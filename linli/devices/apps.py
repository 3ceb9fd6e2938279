from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "linli.devices"
    label = "devices"
    verbose_name = "智能终端"
