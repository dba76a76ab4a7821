"""JSON-lines log formatter, referenced from each service's LOGGING config."""

import json
import logging
import sys
from datetime import UTC, datetime


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
