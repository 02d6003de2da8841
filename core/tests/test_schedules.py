from django_celery_beat.models import PeriodicTask

from core import schedules


def test_sync_upserts_duties_by_name_and_keeps_admin_changes(db):
    schedules.sync()
    PeriodicTask.objects.filter(task="core.purge_expired_credentials").update(enabled=False)

    created = schedules.sync()

    assert created == 0
    task = PeriodicTask.objects.get(task="core.purge_expired_credentials")
    assert task.enabled is False
    assert PeriodicTask.objects.filter(task="core.purge_expired_credentials").count() == 1
