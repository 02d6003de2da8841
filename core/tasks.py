"""Housekeeping duties of the core app. Tasks stay thin: they call a service and report counts."""

from celery import shared_task

from . import dispatch, exports, services


@shared_task(name="core.ping")
def ping(payload: str) -> dict:
    """Round trip check for a worker: echoes the payload and whether the database answers."""
    return {"echo": payload, "database": services.database_answers()}


@shared_task(name="core.purge_expired_credentials")
def purge_expired_credentials() -> dict:
    return services.purge_expired_credentials()


@shared_task(name="core.hand_over_waiting_tasks")
def hand_over_waiting_tasks() -> dict:
    """Catch-up for tasks whose hand-over at commit met a broker outage."""
    return dispatch.hand_over_waiting_tasks()


@shared_task(name="core.run_export")
def run_export(export_id: int) -> str:
    """A large list export (core.exports); running it again after it is done does nothing."""
    return exports.run_export(export_id=export_id).status


@shared_task(name="core.purge_old_exports")
def purge_old_exports() -> dict:
    return exports.purge_old_exports()
