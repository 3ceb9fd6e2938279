from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "linli.limits"
    label = "limits"
    verbose_name = "使用限额"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from linli.limits.models import FairUseLimit
        from linli.limits.services import create_missing_rows, forget_cached

        post_migrate.connect(create_missing_rows, sender=self, dispatch_uid="limits.create_missing_rows")

        post_save.connect(forget_cached, sender=FairUseLimit, dispatch_uid="limits.forget_on_save")
        post_delete.connect(forget_cached, sender=FairUseLimit, dispatch_uid="limits.forget_on_delete")
