"""Scheduled duties of the sales office: thin, each calls one service that a unique constraint keeps idempotent."""

from celery import shared_task

from . import services


@shared_task(name="members.flag_overdue_follow_ups")
def flag_overdue_follow_ups() -> int:
    return services.flag_overdue_follow_ups()


@shared_task(name="members.send_daily_ab_digests")
def send_daily_ab_digests() -> int:
    return services.send_daily_ab_digests()


@shared_task(name="members.build_weekly_summaries")
def build_weekly_summaries() -> int:
    return services.build_weekly_summaries()


@shared_task(name="members.run_monthly_cycle")
def run_monthly_cycle() -> int:
    return services.run_monthly_cycle()
