"""The project's one Celery app. Settings come from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def register_periodic(name: str, task: str, schedule, **options) -> None:
    """Declare a beat job from an app's AppConfig.ready().

    django-celery-beat's DatabaseScheduler copies these into the database when beat starts, where
    staff can see and adjust them in the admin. `schedule` is seconds, a timedelta or a crontab.
    """
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), name: {"task": task, "schedule": schedule, **options}}
