from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "linli.observability"
    label = "observability"
    verbose_name = "运行监控"

    def ready(self):
        from linli.observability import celery_signals, collectors, receivers  # noqa: F401  (connect at import)
        from linli.observability.sentry import init_sentry

        init_sentry()
