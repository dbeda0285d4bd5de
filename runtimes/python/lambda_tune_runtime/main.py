"""The runtime's life: INIT (logging, the S3 endpoint, the handler), then one invocation after another."""

from __future__ import annotations

import json
import os
import sys
from typing import Callable

from . import logs, preload, s3_endpoint  # noqa: F401  preload: see there
from .api import Invocation, RuntimeApi
from .context import LambdaContext
from .errors import InitError, error_document, exception_document
from .handler import load_handler
from .response import MarshalError, marshal

_LOG_FORMAT = "JSON" if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON" else "Text"


def main() -> None:
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    logs.install(_LOG_FORMAT, os.environ.get("AWS_LAMBDA_LOG_LEVEL", ""))
    s3_endpoint.install()
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # The function's folder comes first, as /var/task does on Lambda.
    sys.path.insert(0, task_root)
    handler = _initialize(api, task_root)
    while True:
        _run(api, handler, api.next())


def _initialize(api: RuntimeApi, task_root: str) -> Callable:
    """Loads the handler; a failure is logged and posted to /init/error, and ends the process as on Lambda."""
    try:
        return load_handler(task_root, os.environ.get("_HANDLER", ""))
    except InitError as error:
        document = error_document(error.message, error.error_type, error.trace)
    except Exception as error:
        document = exception_document(error)
    logs.log_error(document, _LOG_FORMAT)
    api.init_error(document)
    sys.exit(1)


def _run(api: RuntimeApi, handler: Callable, invocation: Invocation) -> None:
    """Runs the handler on one event and posts its result, or its error."""
    logs.set_request_id(invocation.request_id)
    _set_trace_id(invocation.trace_id)
    try:
        result = handler(json.loads(invocation.body or b"{}"), LambdaContext(invocation))
    except Exception as error:
        _fail(api, invocation.request_id, exception_document(error, invocation.request_id))
        return
    try:
        body, content_type = marshal(result)
    except MarshalError as error:
        _fail(api, invocation.request_id, error_document(str(error), "Runtime.MarshalError", [], invocation.request_id))
        return
    api.respond(invocation.request_id, body, content_type)


def _fail(api: RuntimeApi, request_id: str, document: dict) -> None:
    logs.log_error(document, _LOG_FORMAT)
    api.fail(request_id, document)


def _set_trace_id(trace_id) -> None:
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)

