"""Large uploads are checked and applied on a worker: thin, idempotent (a batch past the step is left as it is)."""

from celery import shared_task

from . import services


@shared_task(name="onboarding.run_import")
def run_import(batch_id: int) -> str:
    return services.run_import_batch(batch_id=batch_id).status


@shared_task(name="onboarding.check_upload")
def check_upload(batch_id: int) -> str:
    return services.check_upload(batch_id=batch_id).status
