from celery import shared_task

from . import services


@shared_task(name="surveys.send_reminders")
def send_reminders() -> int:
    return services.send_due_reminders()


@shared_task(name="surveys.import_results")
def import_results(batch_id: int) -> str:
    """A large year-end file (S5): idempotent, a batch already imported or failed is left as it is."""
    return services.run_import(batch_id=batch_id).status
