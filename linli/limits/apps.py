from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "linli.limits"
    label = "limits"
    verbose_name = "使用限额"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from linli.limits.models import FairUseLimit
        from linli.limits.services import forget_cached

        post_save.connect(forget_cached, sender=FairUseLimit, dispatch_uid="limits.forget_on_save")
        post_delete.connect(forget_cached, sender=FairUseLimit, dispatch_uid="limits.forget_on_delete")
