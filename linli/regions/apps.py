from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "linli.regions"
    label = "regions"
    verbose_name = "区域"

    def ready(self):
        from linli.api import demo
        from linli.regions import demo as demo_data
        from linli.regions.cache import invalidate_list_on_write

        invalidate_list_on_write()

        demo.register(self.label, demo_data.seed)
