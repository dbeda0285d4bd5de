"""
Sends the function's S3 clients to the platform's S3. botocore honours AWS_ENDPOINT_URL_S3 only
from 1.31 on, and a host may have an older one (Debian 12's is 1.29): so when botocore.session is
first imported, its Session.create_client learns to default an S3 client's endpoint_url to that
variable. Nothing is imported before the function imports botocore (or boto3) itself.
"""

from __future__ import annotations

import functools
import importlib.machinery
import os
import sys

_PATCHED_MODULE = "botocore.session"


def install() -> None:
    if os.environ.get("AWS_ENDPOINT_URL_S3"):
        sys.meta_path.insert(0, _PatchOnImport())


class _PatchOnImport:
    """A finder that finds botocore.session as the path finder does, with a loader that patches it once loaded."""

    def find_spec(self, fullname, path, target=None):
        if fullname != _PATCHED_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader)
        return spec


class _PatchingLoader:
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        default_s3_endpoint(module.Session)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def default_s3_endpoint(session_class) -> None:
    """Session.create_client, with endpoint_url defaulting to AWS_ENDPOINT_URL_S3 for S3 when none is given."""
    import inspect

    original = session_class.create_client
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3")
        if endpoint and bound.arguments.get("service_name") == "s3" and bound.arguments.get("endpoint_url") is None:
            bound.arguments["endpoint_url"] = endpoint
        return original(*bound.args, **bound.kwargs)

    session_class.create_client = create_client
