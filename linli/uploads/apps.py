from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "linli.uploads"
    label = "uploads"
    verbose_name = "上传文件"

    def ready(self):
        from linli.uploads import signals  # noqa: F401  (deletes stored files with their rows)
