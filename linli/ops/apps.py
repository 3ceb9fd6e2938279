from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self):
        from celery.signals import after_task_publish

        from linli.celery import register_periodic
        from linli.ops import receivers

        after_task_publish.connect(receivers.beat_tick_published, sender=receivers.TICK_TASK, weak=False)
        register_periodic("ops.beat_tick", "linli.ops.tasks.beat_tick", 60.0)
        register_periodic("ops.check_health", "linli.ops.tasks.check_health", 60.0)
