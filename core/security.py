"""Sign-in security: the lock-out guard (django-axes) and the sign-in trail (SignInRecord).

Every sign-in, failed sign-in and lock-out through the dashboard, the admin or the API token
endpoint is recorded; a lock-out is also logged as a warning.
"""

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .db import CompiledLookup
from .models import SignInRecord, User, access_row_fields, with_access

logger = logging.getLogger("core.security")


def client_address(request) -> str | None:
    """The client's address, for lock-outs, the sign-in trail and the owners' code limits alike.

    Behind CLIENT_PROXY_COUNT proxies, each appending the address it was reached from to X-Forwarded-For, the
    client's is that many entries from the right; entries further left came from the client and may be forged.
    Without proxies, or when the header is shorter than the proxies promise, REMOTE_ADDR."""
    proxies = settings.CLIENT_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


class SignInGuard(AxesStandaloneBackend):
    """Refuses a locked-out client. Authentication without a request (a shell, the test client's
    `login`) is not a sign-in from outside and passes through to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


_USER_ID = -(2**31) + 7  # where the user's id goes among the statement's parameters (no user has it)
_USERS = CompiledLookup(
    User,
    lambda: with_access(User._default_manager.filter(pk=_USER_ID)).values_list(*access_row_fields()),
    marker=_USER_ID,
)


class StaffBackend(ModelBackend):
    """Django's model backend, reading a signed-in user with their roles and projects in one statement (the
    statements every page would ask next), compiled once per connection."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        alias, rows = _USERS.rows(user_id)
        for row in rows:
            user = User.from_access_row(alias, row)
            if self.user_can_authenticate(user):
                return user
        return None


def _record(outcome, request, *, user=None, username=""):
    SignInRecord.objects.create(
        outcome=outcome,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=get_client_ip_address(request) if request is not None else None,
        path=request.path[:200] if request is not None else "",
    )


@receiver(user_logged_in, dispatch_uid="core.security.signed_in")
def record_sign_in(sender, request, user, **kwargs):
    _record(SignInRecord.Outcome.SIGNED_IN, request, user=user)


@receiver(user_login_failed, dispatch_uid="core.security.failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    _record(SignInRecord.Outcome.FAILED, request, username=credentials.get("username") or "")


@receiver(user_locked_out, dispatch_uid="core.security.locked_out")
def record_lock_out(sender, request, username=None, ip_address=None, **kwargs):
    logger.warning("sign-in locked out: user name %r from %s", username, ip_address)
    _record(SignInRecord.Outcome.LOCKED_OUT, request, username=username or "")
