"""What complaints does when a lower app tells it something happened (connected in apps.py)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def house_check_issues_found(sender, *, issue_ids: list[int], **kwargs) -> None:
    """J17: the issues a one-year house check found become product defects (D1)."""
    from .tasks import raise_house_check_defects

    try:
        raise_house_check_defects.delay(list(issue_ids))
    except Exception:  # the broker is down: the check is saved, and the daily catch-up raises them
        logger.exception("Could not queue the defects of house-check issues %s", issue_ids)
