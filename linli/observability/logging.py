"""Log records with the request id, written as JSON lines in production and plain text in dev, scrubbed.

settings.LOGGING puts `RequestIdFilter` on the console handler (a handler's filter sees the records
of every logger that propagates to it) and formats with `JsonFormatter` (LOG_FORMAT=json, the
production default) or `PlainFormatter` (LOG_FORMAT=plain, the DEBUG default). Both formatters pass
the whole output — message, its arguments, `extra` fields and the exception's traceback — through
`scrub()`, so no personal identifier or secret reaches the log however it got into the record.
"""

import json
import logging
from datetime import UTC, datetime

from linli.observability.context import request_id
from linli.observability.scrub import REDACTED, is_secret_name, scrub

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_RECORD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on the record as `request_id` ("-" outside of both)."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get() or "-"
        return True


class PlainFormatter(logging.Formatter):
    """`time level logger [request id] message`, scrubbed; for a developer's terminal."""

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, **kwargs):
        fmt = fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        super().__init__(fmt, datefmt, style, validate, **kwargs)

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the `extra` fields and,
    for an exception, `exc_type` and `exc` (the traceback). Scrubbed field by field."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or "-",
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and not key.startswith("_"):
                if is_secret_name(key):
                    entry[key] = REDACTED
                else:
                    entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(_scrubbed(entry), ensure_ascii=False, default=str)


def _scrubbed(entry: dict) -> dict:
    return {key: scrub(value) if isinstance(value, str) else value for key, value in entry.items()}
