from celery import shared_task

from . import services


@shared_task(name="owners.purge_sign_in_records")
def purge_sign_in_records():
    return services.purge_sign_in_records()
