"""The settings the benchmarks serve with: production's, but over plain http on this machine.

DEBUG off, as in production: with it on, Django keeps every statement a request runs, and numbers measured
that way are not the product's. The secret key is the benchmark's own; no TLS proxy stands in front, so
nothing redirects to https and the cookies travel over http."""

import os

SERVED = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}


def serve_as_in_production(environ=os.environ) -> dict:
    """`environ` with the benchmark's settings, each unless already given."""
    for name, value in SERVED.items():
        environ.setdefault(name, value)
    return environ
