from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "linli.api"
    label = "api"
    verbose_name = "接口公共组件"
