import datetime

from django.utils import timezone
from knox.models import AuthToken

from core import services
from core.models import IdempotencyKey
from core.roles import Role
from core.testing import make_staff


def test_purging_removes_expired_tokens_and_old_keys_only(db):
    user = make_staff(Role.CONSULTANT)
    AuthToken.objects.create(user, expiry=datetime.timedelta(hours=1))
    AuthToken.objects.create(user, expiry=datetime.timedelta(days=30))
    IdempotencyKey.objects.create(user=user, key="old", fingerprint="x")

    counts = services.purge_expired_credentials(now=timezone.now() + datetime.timedelta(days=8))

    assert counts == {"tokens": 1, "idempotency_keys": 1}
    assert AuthToken.objects.count() == 1


def test_management_roles_may_enter_the_admin_and_others_may_not(db):
    assert make_staff(Role.ADMINISTRATOR).is_staff
    assert make_staff(Role.CR_HEAD).is_staff
    assert not make_staff(Role.CONSULTANT).is_staff


def test_changing_groups_in_the_admin_opens_or_closes_the_admin(db, client):
    from django.contrib.auth.models import Group

    from core.models import User

    superuser = User.objects.create_superuser("root", password="pw-for-tests-1")
    clerk = make_staff(Role.CONSULTANT, username="clerk")
    client.force_login(superuser)

    client.post(
        f"/admin/core/user/{clerk.pk}/change/",
        {
            "username": "clerk",
            "groups": [Group.objects.get(name=Role.CR_HEAD).pk],
            "is_active": "on",
            "date_joined_0": "2026-11-24",
            "date_joined_1": "10:00:00",
        },
    )

    clerk.refresh_from_db()
    assert clerk.is_staff
