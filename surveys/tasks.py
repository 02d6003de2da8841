from celery import shared_task

from . import services


@shared_task(name="surveys.send_reminders")
def send_reminders() -> int:
    return services.send_due_reminders()
