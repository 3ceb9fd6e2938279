"""The project's one Celery app. Settings come from Django settings (CELERY_* names)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def use_django_logging(**kwargs):
    """A worker and beat log like the web processes (JSON lines, request ids, scrubbing: settings.LOGGING)
    instead of Celery replacing the root handler with its own plain format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def register_periodic(name: str, task: str, schedule, **options) -> None:
    """Declare a beat job from an app's AppConfig.ready().

    django-celery-beat's DatabaseScheduler copies these into the database when beat starts, where
    staff can see and adjust them in the admin. `schedule` is seconds, a timedelta or a crontab.
    """
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), name: {"task": task, "schedule": schedule, **options}}
