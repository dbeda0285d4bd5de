"""The context object a handler gets, with the attributes and method of Lambda's."""

from __future__ import annotations

import json
import os
import time
from typing import Optional

from .api import Invocation


class ClientContext:
    """What a mobile client sent (X-Amz-Client-Context): `client`, `custom` and `env`."""

    def __init__(self, document: dict):
        self.client = _Client(document.get("client") or {}) if document.get("client") is not None else None
        self.custom = document.get("custom")
        self.env = document.get("env")


class _Client:
    def __init__(self, document: dict):
        for name in ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"):
            setattr(self, name, document.get(name))


class CognitoIdentity:
    def __init__(self, document: dict):
        self.cognito_identity_id = document.get("cognitoIdentityId")
        self.cognito_identity_pool_id = document.get("cognitoIdentityPoolId")


class LambdaContext:
    """One invocation's context: who runs, on whose behalf, and how long is left."""

    def __init__(self, invocation: Invocation):
        self.aws_request_id = invocation.request_id
        self.invoked_function_arn = invocation.invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = _parsed(invocation.client_context, ClientContext)
        self.identity = _parsed(invocation.cognito_identity, CognitoIdentity) or CognitoIdentity({})
        self._deadline_ms = invocation.deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message) -> None:
        print(str(message), end="")


def _parsed(header: Optional[str], kind):
    return kind(json.loads(header)) if header else None
