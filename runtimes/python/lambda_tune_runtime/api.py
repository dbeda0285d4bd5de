"""A client of the Lambda Runtime API (2018-06-01) of one execution environment."""

from __future__ import annotations

import http.client
import json
from typing import NamedTuple, Optional

_PREFIX = "/2018-06-01/runtime"


class Invocation(NamedTuple):
    """One event, as /invocation/next hands it over."""

    request_id: str
    deadline_ms: int
    invoked_function_arn: str
    trace_id: Optional[str]
    client_context: Optional[str]
    cognito_identity: Optional[str]
    body: bytes


class RuntimeApi:
    """Long-polls for events and posts results on one kept-alive connection, reopened when it breaks."""

    def __init__(self, address: str):
        host, _, port = address.rpartition(":")
        self._host = host
        self._port = int(port)
        self._connection: Optional[http.client.HTTPConnection] = None

    def next(self) -> Invocation:
        """Waits for the next event; a connection that broke while idle is opened again once."""
        try:
            status, headers, body = self._request("GET", "/invocation/next")
        except (OSError, http.client.HTTPException):
            status, headers, body = self._request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError(f"/invocation/next answered {status}: {body[:200]!r}")
        return Invocation(
            request_id=headers.get("lambda-runtime-aws-request-id", ""),
            deadline_ms=int(headers.get("lambda-runtime-deadline-ms") or 0),
            invoked_function_arn=headers.get("lambda-runtime-invoked-function-arn", ""),
            trace_id=headers.get("lambda-runtime-trace-id"),
            client_context=headers.get("lambda-runtime-client-context"),
            cognito_identity=headers.get("lambda-runtime-cognito-identity"),
            body=body,
        )

    def respond(self, request_id: str, body: bytes, content_type: str) -> None:
        self._post(f"/invocation/{request_id}/response", body, {"Content-Type": content_type})

    def fail(self, request_id: str, document: dict) -> None:
        self._post_error(f"/invocation/{request_id}/error", document)

    def init_error(self, document: dict) -> None:
        self._post_error("/init/error", document)

    def _post_error(self, path: str, document: dict) -> None:
        body = json.dumps(document).encode()
        self._post(path, body, {"Lambda-Runtime-Function-Error-Type": document["errorType"]})

    def _post(self, path: str, body: bytes, headers: dict) -> None:
        """Posts, or gives up quietly: a result the platform refuses (over 6 MB) has failed its invocation already."""
        try:
            self._request("POST", path, body, headers)
        except (OSError, http.client.HTTPException):
            pass

    def _request(self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[dict] = None):
        connection = self._connection or http.client.HTTPConnection(self._host, self._port)
        self._connection = connection
        try:
            connection.request(method, _PREFIX + path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
            response = connection.getresponse()
            answer = response.read()
        except BaseException:
            connection.close()
            self._connection = None
            raise
        return response.status, {key.lower(): value for key, value in response.getheaders()}, answer
