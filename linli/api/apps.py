from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "linli.api"
    label = "api"
    verbose_name = "接口公共组件"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import privacy as personal_data

        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
