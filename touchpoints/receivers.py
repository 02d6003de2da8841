"""What touchpoints does when a lower app tells it something happened (connected in apps.py)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def purchase_moved(sender, *, purchase_id: int, step: str, **kwargs) -> None:
    """A purchase was saved or moved a step: its duties are due now (J7, J9, J13, J14), not at the next scan."""
    from .tasks import run_purchase_duties

    try:
        run_purchase_duties.delay(purchase_id)
    except Exception:  # the broker is down: the change is committed, and the daily scan catches up
        logger.exception("Could not queue the duties of purchase %s", purchase_id)
