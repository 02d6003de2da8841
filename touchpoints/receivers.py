"""What touchpoints does when a lower app tells it something happened (connected in apps.py)."""

from __future__ import annotations

from core.dispatch import dispatch_on_commit


def purchase_moved(sender, *, purchase_id: int, step: str, **kwargs) -> None:
    """A purchase was saved or moved a step: its duties are due now (J7, J9, J13, J14), not at the next scan.
    A cancelled one owes nothing more (J4): its open duties end in the same transaction."""
    from . import services
    from .tasks import run_purchase_duties

    if step == "cancel":
        services.end_duties_of_cancelled_purchase(purchase_id=purchase_id)
        return
    dispatch_on_commit(run_purchase_duties, purchase_id)
