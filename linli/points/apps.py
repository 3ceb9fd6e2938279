from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "linli.points"
    label = "points"
    verbose_name = "邻礼积分"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.console import registry as console
        from linli.points import dashboard
        from linli.points import privacy as personal_data
        from linli.points.demo import seed

        demo.register(self.label, seed)

        console.register(self.label, widgets=[dashboard.redemptions])

        # A ledger: it stays after an account is deleted (see linli/points/privacy.py), nothing to erase.
        privacy.register(self.label, export=personal_data.export, anonymise=None)
