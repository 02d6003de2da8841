"""What members tells the apps above it (DESIGN.md: a lower app causes work in a higher one by a signal).

Sent inside the writing transaction: a receiver records the work it owes in that transaction (the
task outbox of core.dispatch), so the work is handed over at commit and never for a change rolled back.
"""

from django.dispatch import Signal

# A purchase was saved or moved a step (subscribe, sign, loan, deliver, move in).
# Arguments: purchase_id (int), step (str: "subscribe", a key of services.PURCHASE_STEPS, or "cancel").
purchase_moved = Signal()

# Customers were created or changed in bulk, without save() (an import): whatever keeps data beside a
# customer refreshes it. Sent inside the writing transaction. Arguments: customer_ids (list of int).
customers_written = Signal()
