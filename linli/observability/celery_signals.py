"""Celery: the enqueuing request's id carried into its tasks, and task outcomes counted.

* `before_task_publish` (in the process that enqueues) adds the current request id to the message
  headers as `linli_request_id`;
* `task_prerun` (in the worker) makes it the current id while the task runs, so the task's log lines
  carry the id of the request that asked for it; `task_postrun` restores what was there before.
  An eager task (the embedded default, tests) is never published: it runs inside the request and
  keeps the request's id as it is. A task without the header (beat, a retry of an old message) gets
  an id of its own, so its lines can still be told apart.
* `task_success`, `task_failure`, `task_retry` count outcomes per task name (metrics.CELERY_TASKS);
  with WORKER_METRICS_PORT set, the worker serves them (`worker_ready`, metrics.start_worker_exporter).

Connected at import; linli/observability/apps.py imports this module.
"""

from celery import signals
from django.conf import settings

from linli.observability.context import new_request_id, request_id, valid_request_id
from linli.observability.metrics import CELERY_TASKS, start_worker_exporter

HEADER = "linli_request_id"
_tokens = {}  # task id -> contextvar token to restore after the task


@signals.before_task_publish.connect(dispatch_uid="observability.publish_request_id")
def add_request_id(sender=None, headers=None, **kwargs):
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(HEADER, rid)


@signals.task_prerun.connect(dispatch_uid="observability.task_request_id")
def restore_request_id(sender=None, task_id=None, task=None, **kwargs):
    incoming = getattr(task.request, HEADER, None) if task is not None else None
    if valid_request_id(incoming):
        rid = incoming
    elif request_id.get():
        return  # eager: already running under the request's id
    else:
        rid = new_request_id()
    _tokens[task_id] = request_id.set(rid)


@signals.task_postrun.connect(dispatch_uid="observability.task_request_id_reset")
def reset_request_id(sender=None, task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id.reset(token)
        except ValueError:  # set in another context (a pool that switched contexts): just clear
            request_id.set("")


def _name(sender) -> str:
    return getattr(sender, "name", None) or "unknown"


@signals.task_success.connect(dispatch_uid="observability.task_success")
def count_success(sender=None, **kwargs):
    CELERY_TASKS.labels(_name(sender), "succeeded").inc()


@signals.task_failure.connect(dispatch_uid="observability.task_failure")
def count_failure(sender=None, **kwargs):
    CELERY_TASKS.labels(_name(sender), "failed").inc()


@signals.task_retry.connect(dispatch_uid="observability.task_retry")
def count_retry(sender=None, **kwargs):
    CELERY_TASKS.labels(_name(sender), "retried").inc()


@signals.worker_ready.connect(dispatch_uid="observability.worker_exporter")
def serve_worker_metrics(**kwargs):
    if settings.WORKER_METRICS_PORT:
        start_worker_exporter(settings.WORKER_METRICS_PORT, settings.WORKER_METRICS_ADDR)
