"""The settings the benchmarks serve with: production's, but over plain http on this machine.

DEBUG off, as in production: with it on, Django keeps every statement a request runs, and numbers measured
that way are not the product's. The secret key is the benchmark's own; no TLS proxy stands in front, so
nothing redirects to https and the cookies travel over http. The cache is Redis, as in production (it keeps the
staff sessions, the home's figures and the capped counts for every process): a Redis on this machine, when one
answers (a smoke run on a machine without one keeps the local-memory cache)."""

import os
import socket

SERVED = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}
LOCAL_REDIS = ("127.0.0.1", 6379)


def serve_as_in_production(environ=os.environ) -> dict:
    """`environ` with the benchmark's settings, each unless already given."""
    for name, value in SERVED.items():
        environ.setdefault(name, value)
    if "REDIS_URL" not in environ and _answers(LOCAL_REDIS):
        environ["REDIS_URL"] = "redis://{}:{}/3".format(*LOCAL_REDIS)
    return environ


def _answers(address) -> bool:
    try:
        socket.create_connection(address, timeout=0.5).close()
    except OSError:
        return False
    return True
