"""Gateways that carry text messages out. The outbox talks to one through `get_gateway()`.

The console gateway (default) logs the message with the number masked; the HTTP gateway posts to
an SMS provider's JSON endpoint. Anything else a provider needs is a new Gateway subclass.

`reference` is the message's idempotency reference: the outbox passes the same one on every try of
a message (a retry, or a resend after a worker died mid-send), and a gateway must send a reference
at most once, answering a repeat with the first receipt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from core.access import mask_phone

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """The gateway did not accept the message; the outbox retries later."""


@dataclass(frozen=True)
class Receipt:
    message_id: str


class Gateway:
    def send(self, *, to: str, body: str, reference: str) -> Receipt:
        """Send `body` to `to` once per `reference` (see the module's docstring)."""
        raise NotImplementedError


class ConsoleGateway(Gateway):
    """Writes the message to the log: the default where no provider is configured. A reference
    already written (remembered in the shared cache for a week) is not written again."""

    remember_for = 7 * 24 * 3600

    def send(self, *, to: str, body: str, reference: str) -> Receipt:
        receipt = Receipt(message_id=f"console-{hashlib.sha256(reference.encode()).hexdigest()[:12]}")
        if cache.add(f"console-gateway:{receipt.message_id}", True, timeout=self.remember_for):
            logger.info("message %s to %s: %s", reference, mask_phone(to), body)
        return receipt


class HttpSmsGateway(Gateway):
    """POSTs {"to", "text", "reference"} as JSON with a bearer key, the reference also as the
    `Idempotency-Key` header (the provider must answer a repeat with the first message id); expects
    {"message_id"} back."""

    def __init__(self, url: str | None = None, api_key: str | None = None, timeout: float | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.api_key = api_key or settings.SMS_GATEWAY_API_KEY
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT

    def send(self, *, to: str, body: str, reference: str) -> Receipt:
        payload = json.dumps({"to": to, "text": body, "reference": reference}).encode()
        # the provider's URL comes from settings, never from input
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.api_key}",
            "Idempotency-Key": reference,
        }
        request = urllib.request.Request(self.url, data=payload, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise GatewayError(f"gateway answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise GatewayError(f"gateway unreachable: {error.__class__.__name__}") from None
        if not answer.get("message_id"):
            raise GatewayError("gateway gave no message id")
        return Receipt(message_id=str(answer["message_id"]))


def get_gateway() -> Gateway:
    return import_string(settings.SMS_GATEWAY)()
