"""The id of the request (or of the task it enqueued) being served, for every log line of it.

Set by `RequestIdMiddleware` for a request, restored by the Celery signal handlers (celery_signals.py)
for a task; read by the logging filter and by the Celery publish hook. A contextvar, so each thread
(gthread workers) and each asyncio task sees its own.
"""

import os
import re
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("linli_request_id", default="")

# What an id from a trusted proxy may look like: nginx's $request_id (32 hex), a UUID, a load
# balancer's trace id. Anything else (too long, spaces, quotes, newlines that would forge log
# lines) is replaced by an id of our own.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def new_request_id() -> str:
    """32 random hex digits, like uuid4().hex (without building a UUID object on every request)."""
    return os.urandom(16).hex()


def valid_request_id(value: str | None) -> bool:
    return bool(value) and _VALID.fullmatch(value) is not None


def current_request_id() -> str:
    """The current request's (or task's) id, "" outside of both."""
    return request_id.get()
