from celery import shared_task

from . import messaging, schedule


@shared_task(name="touchpoints.send_message")
def send_message(message_id: int) -> str:
    return messaging.deliver(message_id)


@shared_task(name="touchpoints.send_due_messages")
def send_due_messages() -> int:
    return messaging.deliver_due()


@shared_task(name="touchpoints.run_care_schedule")
def run_care_schedule() -> dict:
    result = schedule.run_daily_scan()
    return {"created": result.created, "messages": result.messages, "notices": result.notices, "alerts": result.alerts}


@shared_task(name="touchpoints.run_purchase_duties")
def run_purchase_duties(purchase_id: int) -> dict:
    result = schedule.run_purchase_duties(purchase_id=purchase_id)
    return {"created": result.created, "messages": result.messages}
