"""The outbox: every outbound message is queued once per occasion and sent at most once (J22, M3).

- `queue_message` writes the message keyed by its occasion (`dedupe_key`, unique in the database):
  queuing the same occasion again returns the existing message and sends nothing new.
- `deliver` claims a queued message with a conditional UPDATE, so two workers never both send it;
  consent is checked at that moment, so an opt-out made after queuing is still honoured.
- A claim is a lease (`MESSAGE_SEND_LEASE_SECONDS`): a message left in "sending" by a worker that
  died is claimed again once the lease runs out. The gateway gets the message's stable reference
  with every try, so a provider that already took it does not send it a second time.
- A gateway failure puts the message back in the queue with an exponential back-off, until the
  attempt limit marks it failed.
"""

from __future__ import annotations

import datetime
import string
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.dispatch import dispatch_on_commit
from members.models import Customer

from .choices import MessageStatus
from .gateways import GatewayError, get_gateway
from .models import MessageTemplate, OutboundMessage, outbox

BACKOFF_BASE = datetime.timedelta(minutes=2)
# A message the customer asked for this moment (an owner's sign-in code): sent whatever their consent to
# messages (M3 governs the messages we choose to send), and never to anyone but the asker.
REQUESTED_BY_CUSTOMER = outbox.REQUESTED_BY_CUSTOMER
BATCH_SIZE = 500
QUEUE_BATCH_SIZE = 1_000  # rows a statement inserts when many messages are queued at once
# One beat run (every minute) drains the queue for up to this long; a run that overlaps the next is harmless.
DRAIN_BUDGET = datetime.timedelta(seconds=50)
OUTCOME_FIELDS = ["status", "sent_at", "gateway_message_id", "last_error", "send_after"]


class MissingVariable(KeyError):
    pass


def render(template_body: str, context: dict) -> str:
    """Fill {variables}; a variable the template names but the context lacks is an error."""
    names = {name for _, name, _, _ in string.Formatter().parse(template_body) if name}
    missing = names - set(context)
    if missing:
        raise MissingVariable(", ".join(sorted(missing)))
    return template_body.format(**context)


def queue_message(
    *,
    customer: Customer,
    purpose: str,
    dedupe_key: str,
    template_code: str | None = None,
    body: str | None = None,
    context: dict | None = None,
    send_after=None,
    actor=None,
    project=None,
) -> OutboundMessage:
    """Queue a message for an occasion; the same occasion twice gives back the first message."""
    existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing:
        return existing
    template = None
    if template_code:
        template = MessageTemplate.objects.get(code=template_code, is_active=True)
        body = render(template.body, {"name": customer.name, **(context or {})})
    message = outbound_message(
        customer=customer,
        purpose=purpose,
        dedupe_key=dedupe_key,
        body=body,
        template=template,
        send_after=send_after,
        actor=actor,
        project=project,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    if message.send_after <= timezone.now():
        from .tasks import send_message

        dispatch_on_commit(send_message, message.pk)
    return message


def outbound_message(
    *,
    customer: Customer,
    purpose: str,
    dedupe_key: str,
    body: str,
    template=None,
    send_after=None,
    actor=None,
    project=None,
) -> OutboundMessage:
    """A message for an occasion, not yet queued (`queue_message`, or many at once with `queue_messages`)."""
    return OutboundMessage(
        customer=customer,
        project=project or customer.project,
        template=template,
        channel=template.channel if template else "sms",
        purpose=purpose,
        dedupe_key=dedupe_key,
        body=body,
        send_after=send_after or timezone.now(),
        created_by=actor,
    )


def queue_messages(messages: list[OutboundMessage]) -> None:
    """Queue many messages at once (a campaign's links to thousands of owners): in a few statements, each occasion
    once (an occasion already queued keeps its first message), and the queue drained by one worker task handed over
    at commit rather than one task per message (the sender claims them in batches, `deliver_due`)."""
    if not messages:
        return
    OutboundMessage.objects.bulk_create(messages, batch_size=QUEUE_BATCH_SIZE, ignore_conflicts=True)
    now = timezone.now()
    if any(message.send_after <= now for message in messages):
        from .tasks import send_due_messages

        dispatch_on_commit(send_due_messages)


def _claimable(now) -> Q:
    """Queued and due, or claimed by a worker whose lease has run out (it died while sending)."""
    lease_expired_before = now - datetime.timedelta(seconds=settings.MESSAGE_SEND_LEASE_SECONDS)
    return (
        Q(status=MessageStatus.QUEUED, send_after__lte=now)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=lease_expired_before)
        | Q(status=MessageStatus.SENDING, claimed_at__isnull=True)
    )


def deliver(message_id: int, *, now=None) -> str:
    """Send one due message if it is still queued (or its last claim has lapsed); returns its status afterwards."""
    now = now or timezone.now()
    claimed = _claim(OutboundMessage.objects.filter(pk=message_id), now)
    if not claimed:
        return OutboundMessage.objects.values_list("status", flat=True).get(pk=message_id)
    (message,) = claimed
    _send(message, now)
    _record(claimed)
    return message.status


def deliver_due(*, now=None, batch: int = BATCH_SIZE, budget: datetime.timedelta = DRAIN_BUDGET) -> int:
    """Send the queued messages whose time has come and those a dead worker left half-sent (the beat
    safety net behind on-commit sends), a batch at a time until none is left or the time budget is spent.

    Each batch is claimed in one statement, skipping rows another worker holds (SKIP LOCKED on PostgreSQL), and
    its outcomes are written in one bulk update: a few queries per batch, not per message."""
    now = now or timezone.now()
    started = time.monotonic()
    handled = 0
    while time.monotonic() - started < budget.total_seconds():
        with transaction.atomic():
            due = list(
                OutboundMessage.objects.select_for_update(skip_locked=True)
                .filter(_claimable(now))
                .order_by("send_after", "pk")
                .values_list("pk", flat=True)[:batch]
            )
            claimed = _claim(OutboundMessage.objects.filter(pk__in=due), now) if due else []
        for message in claimed:
            _send(message, now)
        _record(claimed)
        handled += len(claimed)
        if len(due) < batch:
            break
    return handled


def _claim(messages, now) -> list[OutboundMessage]:
    """Mark the claimable ones among `messages` as being sent by this worker; the ones it got, with customers.

    The conditional UPDATE decides between workers; the claim time, to the microsecond, names the winner."""
    ids = list(messages.values_list("pk", flat=True))
    OutboundMessage.objects.filter(_claimable(now), pk__in=ids).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    return list(
        OutboundMessage.objects.filter(pk__in=ids, status=MessageStatus.SENDING, claimed_at=now)
        .select_related("customer")
        .order_by("send_after", "pk")
    )


def _send(message: OutboundMessage, now) -> None:
    """Hand one claimed message to the gateway and note the outcome on it (written by _record)."""
    if not message.customer.consents_to_messages and not message.purpose.startswith(REQUESTED_BY_CUSTOMER):
        message.status = MessageStatus.SUPPRESSED
        return
    try:
        receipt = get_gateway().send(to=str(message.customer.mobile), body=message.body, reference=message.reference)
    except GatewayError as error:
        message.last_error = str(error)
        if message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
        else:
            message.status = MessageStatus.QUEUED
            message.send_after = now + BACKOFF_BASE * (2 ** (message.attempts - 1))
        return
    message.status, message.sent_at = MessageStatus.SENT, now
    message.gateway_message_id, message.last_error = receipt.message_id, ""


def _record(messages: list[OutboundMessage]) -> None:
    if messages:
        OutboundMessage.objects.bulk_update(messages, OUTCOME_FIELDS, batch_size=BATCH_SIZE)


def record_delivery(*, gateway_message_id: str, delivered: bool, at=None) -> int:
    """A provider's delivery report: the sent message becomes delivered, or failed."""
    status = MessageStatus.DELIVERED if delivered else MessageStatus.FAILED
    return OutboundMessage.objects.filter(gateway_message_id=gateway_message_id, status=MessageStatus.SENT).update(
        status=status, delivered_at=(at or timezone.now()) if delivered else None
    )


def conceal(*, dedupe_keys) -> None:
    """Hide the secret of messages that have done their job (a used or void sign-in code) from the outbox's
    readers, as it is hidden from the logs."""
    from core.logging import redact

    for message in OutboundMessage.objects.filter(dedupe_key__in=list(dedupe_keys)).only("pk", "body"):
        OutboundMessage.objects.filter(pk=message.pk).update(body=redact(message.body))


def cancel(*, message: OutboundMessage, actor) -> bool:
    """Stop a queued message; the record says who stopped it."""
    return bool(
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.QUEUED).update(
            status=MessageStatus.CANCELLED, cancelled_by=actor, cancelled_at=timezone.now()
        )
    )
