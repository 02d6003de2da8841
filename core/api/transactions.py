"""The API answers what only reads (GET, HEAD, OPTIONS) outside a transaction; what writes runs in one.

ATOMIC_REQUESTS puts every request in a transaction. For a read that costs a BEGIN and a COMMIT, two more round
trips to the database than the read itself, at every request of the tablets; and a read is as consistent
without them: PostgreSQL gives each statement its own snapshot either way (READ COMMITTED). A request that
writes keeps ATOMIC_REQUESTS' whole transaction, rolled back when it fails (an error answer included: DRF marks
the transaction for rollback). The API's reads write at most one row on the side (a token's new expiry), which
needs no transaction of its own.
"""

import contextlib
import functools

from django.db import connections, transaction
from django.urls import URLPattern, URLResolver
from rest_framework.permissions import SAFE_METHODS


def writes_in_a_transaction(view):
    """`view` outside ATOMIC_REQUESTS' transaction, but for the methods that write: those run in one, on each
    database that asks for it and where `view` has not opted out (transaction.non_atomic_requests)."""
    if getattr(view, "writes_in_a_transaction", False):
        return view
    opted_out = getattr(view, "_non_atomic_requests", set())
    databases = [
        alias for alias in connections if connections.settings[alias].get("ATOMIC_REQUESTS") and alias not in opted_out
    ]

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        # Inside a transaction already open (a test's), a read keeps a savepoint: an error answer rolls back
        # only its own work, not the caller's transaction.
        if request.method in SAFE_METHODS and not any(connections[alias].in_atomic_block for alias in databases):
            return view(request, *args, **kwargs)
        with contextlib.ExitStack() as transactions:
            for alias in databases:
                transactions.enter_context(transaction.atomic(using=alias))
            return view(request, *args, **kwargs)

    answer._non_atomic_requests = {*opted_out, *databases}
    answer.writes_in_a_transaction = True
    return answer


def reads_outside_transactions(patterns: list) -> list:
    """`patterns`, each view of them and of what they include answered by `writes_in_a_transaction`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            reads_outside_transactions(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = writes_in_a_transaction(pattern.callback)
    return patterns
