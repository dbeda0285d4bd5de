"""
A handler's result as Lambda's Python runtime sends it (awslambdaric's marshal_response): bytes as
they are, anything else as JSON, any failure to encode it a Runtime.MarshalError.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Tuple

# The runtimes whose JSON keeps non-ASCII characters as they are rather than as \u escapes
# (awslambdaric's marshaller, which names these two).
_UNESCAPED_RUNTIMES = {"AWS_Lambda_python3.12", "AWS_Lambda_python3.13"}


class MarshalError(Exception):
    """The result cannot be sent: its message is Lambda's."""


def marshal(result) -> Tuple[bytes, str]:
    """The response body and its content type."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    ensure_ascii = os.environ.get("AWS_EXECUTION_ENV") not in _UNESCAPED_RUNTIMES
    try:
        return json.dumps(result, default=_decimal, ensure_ascii=ensure_ascii).encode(), "application/json"
    except Exception as error:
        raise MarshalError(f"Unable to marshal response: {error}") from None


def _decimal(value):
    """Decimals (as DynamoDB's resources return numbers) go out as numbers, as on Lambda."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
