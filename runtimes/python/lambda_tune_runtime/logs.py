"""
The function's log as Lambda's Python runtime writes it. `print` output goes out as it is; the
root logger of `logging` writes `[LEVEL]\t<UTC time>Z\t<request id>\t<message>` (or a JSON object
per record in the JSON log format). Each record and each error report is one log event, as
Lambda's log framing keeps it: written as one line, its newlines as carriage returns, which the
platform turns back into newlines in the event.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from datetime import datetime, timezone

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_TEXT_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s"

# What every log record has; anything else on a record came from `extra=` and joins its JSON object.
_STANDARD_FIELDS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "aws_request_id"}

_request_id = ""


def set_request_id(request_id: str) -> None:
    """The invocation under way: its id goes into every record from now on."""
    global _request_id
    _request_id = request_id


def install(log_format: str, log_level: str) -> None:
    """Sets up the root logger as Lambda does: times in UTC, its handler, and the level asked for."""
    logging.Formatter.converter = time.gmtime
    handler = _OneEventHandler()
    handler.setFormatter(JsonFormatter() if log_format == "JSON" else logging.Formatter(_TEXT_FORMAT, _TIME_FORMAT))
    handler.addFilter(_with_request_id)
    root = logging.getLogger()
    root.addHandler(handler)
    level = _level_name(log_level, log_format)
    if level in logging._nameToLevel:
        root.setLevel(level)


def _level_name(log_level: str, log_format: str) -> str:
    """AWS_LAMBDA_LOG_LEVEL (TRACE is DEBUG to Python); with the JSON format Lambda's default is INFO, with text Python's own (WARNING)."""
    level = {"TRACE": "DEBUG"}.get(log_level.upper(), log_level.upper())
    return level or ("INFO" if log_format == "JSON" else "")


def _with_request_id(record: logging.LogRecord) -> bool:
    record.aws_request_id = _request_id
    return True


def write_event(text: str) -> None:
    """One log event: a line of its own, whatever newlines the text holds."""
    sys.stdout.write(text.rstrip("\n").replace("\r\n", "\r").replace("\n", "\r") + "\n")


class _OneEventHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            write_event(self.format(record))
        except Exception:
            self.handleError(record)


class JsonFormatter(logging.Formatter):
    """A record as Lambda's JSON log format has it: timestamp, level, message, logger, requestId, the error if any, and extras."""

    def format(self, record: logging.LogRecord) -> str:
        document = {
            "timestamp": datetime.fromtimestamp(record.created, tz=timezone.utc).strftime(_TIME_FORMAT + ".%f")[:-3] + "Z",
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": getattr(record, "aws_request_id", None) or None,
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            document["errorType"] = type(error).__name__
            document["errorMessage"] = str(error)
            document["stackTrace"] = traceback.format_tb(record.exc_info[2])
            document["location"] = f"{record.pathname}:{record.funcName}:{record.lineno}"
        document.update((key, value) for key, value in record.__dict__.items() if key not in _STANDARD_FIELDS and key not in document)
        return json.dumps({key: value for key, value in document.items() if value is not None}, default=str, ensure_ascii=False)


def log_error(document: dict, log_format: str) -> None:
    """An error the runtime reports (init or invocation), as Lambda writes it to the log."""
    if log_format == "JSON":
        stamp = time.strftime(_TIME_FORMAT, time.gmtime())
        write_event(json.dumps({"timestamp": stamp, "level": "ERROR", **document}, ensure_ascii=False))
        return
    lines = [_error_headline(document)]
    if document.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in document["stackTrace"]:
            lines.extend(_indented_with_nbsp(line) for line in element.splitlines())
    write_event("\r".join(lines))


def _error_headline(document: dict) -> str:
    error_type, message = document.get("errorType"), document.get("errorMessage")
    described = f"{error_type}: {message}" if error_type and message else (error_type or message or "")
    return f"[ERROR] {described}".rstrip()


def _indented_with_nbsp(line: str) -> str:
    """Lambda keeps a trace's indentation visible in CloudWatch by writing it as no-break spaces."""
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped
