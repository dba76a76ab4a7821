"""JSON-lines log formatter and the refusals filter, referenced from each service's LOGGING
config."""

import json
import logging
import sys
from datetime import UTC, datetime

from services.common.errors import REFUSALS


def correlation_id() -> str | None:
    """The `correlation_id` in the context data of the nameko worker running now, if any.

    nameko 2 keeps no "current worker" global, so look for the container's `_run_worker`
    frame on this green thread's stack (a few dozen frames; only when logging)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "_run_worker" and "worker_ctx" in frame.f_locals:
            data = getattr(frame.f_locals["worker_ctx"], "data", None) or {}
            return data.get("correlation_id")
        frame = frame.f_back
    return None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("service", "correlation_id", "error_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if "correlation_id" not in entry and (found := correlation_id()):
            entry["correlation_id"] = found
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class Refusals(logging.Filter):
    """nameko logs an expected exception at WARNING with its traceback and message. A typed
    refusal is the caller's mistake, and its message may name a party: keep one INFO line
    with the worker and the code, so that WARNING and ERROR stay for what is wrong here."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if (not isinstance(error, REFUSALS) or record.name != "nameko.containers"
                or record.levelno != logging.WARNING):  # ERROR: an entrypoint did not expect it
            return True
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.msg, record.args = "%s refused: %s", (record.args[0], error.code)
        record.exc_info = record.exc_text = None
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)
