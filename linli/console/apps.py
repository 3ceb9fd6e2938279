from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConsoleConfig(AppConfig):
    name = "linli.console"
    label = "console"
    verbose_name = "工作台"
    default = True

    def ready(self):
        from linli.console import dashboard
        from linli.console import registry as console

        console.register(
            self.label,
            widgets=[dashboard.residents_and_points, dashboard.devices],
            components=[dashboard.prosperity],
        )


class LinliAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: the dashboard as landing page, scoped to the staff member."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "linli.console.sites.LinliAdminSite"
