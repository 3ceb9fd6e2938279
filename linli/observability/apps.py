from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "linli.observability"
    label = "observability"
    verbose_name = "运行监控"

    def ready(self):
        from linli.observability import collectors, receivers  # noqa: F401  (scrape-time gauges, signal counters)
