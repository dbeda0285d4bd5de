"""Errors as Lambda's Python runtime reports them: what the caller gets, and what goes to the log."""

from __future__ import annotations

import os
import sys
import traceback
from typing import List, Optional

_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))

# The modules Lambda's Python runtimes bring along, which a host's Python may lack.
_BUNDLED_BY_LAMBDA = ("boto3", "botocore")


class InitError(Exception):
    """The function cannot start: posted to /init/error with Lambda's error type."""

    def __init__(self, error_type: str, message: str, trace: Optional[List[str]] = None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def error_document(message: str, error_type: str, trace: List[str], request_id: str = "") -> dict:
    """Lambda's error payload: errorMessage, errorType, requestId (empty during INIT), stackTrace."""
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": trace}


def exception_document(error: BaseException, request_id: str = "") -> dict:
    """An exception the function raised, its stack without the runtime's own frames before the function's."""
    return error_document(str(error), type(error).__name__, stack_trace(error), request_id)


def stack_trace(error: BaseException) -> List[str]:
    frames = traceback.extract_tb(error.__traceback__)
    first_own = next((i for i, frame in enumerate(frames) if not frame.filename.startswith(_RUNTIME_DIR)), len(frames))
    return traceback.format_list(frames[first_own:])


def import_error_message(module: str, error: ImportError) -> str:
    """Lambda's words for a module that would not import, and how to get boto3 when that is what is missing."""
    return f"Unable to import module '{module}': {error}{missing_module_hint(error)}"


def missing_module_hint(error: ImportError) -> str:
    missing = (getattr(error, "name", None) or "").split(".")[0]
    if not isinstance(error, ModuleNotFoundError) or missing not in _BUNDLED_BY_LAMBDA:
        return ""
    return (
        f". Lambda's Python runtimes include {missing}, but the host's Python ({sys.executable}) lacks it:"
        " install it for that interpreter with apt-get install python3-boto3, or pip install boto3"
        " (not --user: the runtime leaves user site-packages out, as Lambda has none)"
    )
