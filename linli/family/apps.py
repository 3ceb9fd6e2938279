from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "linli.family"
    label = "family"
    verbose_name = "亲情账号"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.family import demo as demo_data
        from linli.family import privacy as personal_data

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
