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
