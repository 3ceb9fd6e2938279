"""The project's one Celery app. Settings come from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
