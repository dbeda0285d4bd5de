"""The local platform's Python runtime: the Runtime API client, handler loading, logs, errors."""
