from celery import shared_task

from . import messaging


@shared_task(name="touchpoints.send_message")
def send_message(message_id: int) -> str:
    return messaging.deliver(message_id)


@shared_task(name="touchpoints.send_due_messages")
def send_due_messages() -> int:
    return messaging.deliver_due()
