"""What touchpoints does when a lower app tells it something happened (connected in apps.py)."""

from __future__ import annotations

from core.dispatch import dispatch_on_commit


def purchase_moved(sender, *, purchase_id: int, step: str, **kwargs) -> None:
    """A purchase was saved or moved a step: its duties are due now (J7, J9, J13, J14), not at the next scan."""
    from .tasks import run_purchase_duties

    dispatch_on_commit(run_purchase_duties, purchase_id)
