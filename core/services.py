"""Core writes: role groups, staff set-up, credential housekeeping."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from .models import IdempotencyKey, SignInRecord, User
from .roles import MANAGEMENT, Role

IDEMPOTENCY_KEY_LIFETIME = datetime.timedelta(days=7)


def ensure_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def set_roles(*, user: User, roles: set[Role]) -> User:
    """Replace the user's roles; admin access follows them."""
    ensure_role_groups()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    return sync_admin_access(user=user)


def sync_admin_access(*, user: User) -> User:
    """Management roles get into the admin site (configuration); everyone else uses the dashboard."""
    user.__dict__.pop("_roles_cache", None)
    user.is_staff = user.is_superuser or bool(user.roles & MANAGEMENT)
    user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def lift_sign_in_lock_outs(*, users) -> list[User]:
    """Let `users` sign in again now instead of after the lock-out's SIGN_IN_LOCKOUT_MINUTES: their failed
    sign-ins are forgotten, from every address (django-axes counts them per user name and address), and the
    lifting is kept in the sign-in trail. Returns those who had failed sign-ins to forget."""
    from axes.utils import reset

    lifted = [user for user in users if reset(username=user.get_username())]
    SignInRecord.objects.bulk_create(
        SignInRecord(outcome=SignInRecord.Outcome.LOCK_OUT_LIFTED, user=user, username=user.get_username())
        for user in lifted
    )
    return lifted


def revoke_tablet_tokens(*, users) -> tuple[int, list[User]]:
    """Sign `users` out of every tablet at once (a tablet lost or handed on): their API tokens are deleted, so the
    next request of each tablet is refused until its user signs in again. Returns the tokens revoked and the users
    who had any."""
    from knox.models import AuthToken

    tokens = AuthToken.objects.filter(user__in=users)
    holders = set(tokens.values_list("user_id", flat=True))
    revoked, _ = tokens.delete()
    return revoked, [user for user in users if user.pk in holders]


def purge_expired_credentials(*, now: datetime.datetime | None = None) -> dict:
    from knox.models import AuthToken

    now = now or timezone.now()
    tokens, _ = AuthToken.objects.filter(expiry__lt=now).delete()
    keys, _ = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_LIFETIME).delete()
    return {"tokens": tokens, "idempotency_keys": keys}


def health() -> dict[str, bool]:
    """Whether the database and the cache answer: what a load balancer asks before sending traffic."""
    from django.core.cache import cache

    try:
        cache.set("health-probe", "ok", 5)
        cache_ok = cache.get("health-probe") == "ok"
    except Exception:  # a cache that is down raises its own client's errors
        cache_ok = False
    try:
        database_ok = database_answers()
    except Exception:  # likewise for the database driver
        database_ok = False
    return {"database": database_ok, "cache": cache_ok}


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1
