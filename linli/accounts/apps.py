from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from linli.accounts import demo as demo_data
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=privacy.export_accounts, anonymise=privacy.anonymise_accounts, key="user")
        # The admin's change log is the audit trail of what staff did in the console: it stays,
        # pointing at the anonymised user row, like ledgers and cases do.
        privacy.register("admin", export=privacy.export_admin_log, anonymise=None)
        # simplejwt's rows of the refresh tokens issued to the user (linli.accounts.tokens).
        privacy.register("token_blacklist", export=privacy.export_sessions, anonymise=privacy.forget_sessions)
        register_periodic("accounts.flush_expired_tokens", "linli.accounts.tasks.flush_expired_tokens", 24 * 3600.0)
