from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from linli.celery import register_periodic

        register_periodic("accounts.flush_expired_tokens", "linli.accounts.tasks.flush_expired_tokens", 24 * 3600.0)
