"""Celery duties of the complaints app: thin, each calls one service."""

from celery import shared_task

from . import services


@shared_task(name="complaints.check_clocks")
def check_clocks():
    return services.check_clocks()


@shared_task(name="complaints.apply_retention")
def apply_retention():
    return services.apply_retention()


@shared_task(name="complaints.send_quarterly_handbooks")
def send_quarterly_handbooks():
    return services.send_quarterly_handbooks()


@shared_task(name="complaints.raise_house_check_defects")
def raise_house_check_defects(issue_ids: list[int] | None = None) -> int:
    return services.raise_house_check_defects(issue_ids=issue_ids)
