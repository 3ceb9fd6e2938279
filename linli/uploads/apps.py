from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "linli.uploads"
    label = "uploads"
    verbose_name = "上传文件"

    def ready(self):
        from linli.accounts import privacy
        from linli.uploads import privacy as personal_data
        from linli.uploads import signals  # noqa: F401  (deletes stored files with their rows)

        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
