"""A stand-in SMS provider for the worker-crash test, shared between processes through a folder.

Like a real provider it sends a reference at most once: the first call for a reference creates its
file (atomically, O_EXCL); a repeat only answers with the same receipt. Every call is also appended
to `calls.log`, so the test sees that a resend reached the provider and was not sent again.
With CRASH_GATEWAY_HOLD_AFTER=n the gateway stops (waits, up to two minutes) after its n-th send:
the moment the test kills the worker.
"""

import hashlib
import os
import threading
from pathlib import Path

from touchpoints.gateways import Gateway, Receipt


class FolderGateway(Gateway):
    def __init__(self):
        self.folder = Path(os.environ["CRASH_GATEWAY_FOLDER"])
        self.hold_after = int(os.environ.get("CRASH_GATEWAY_HOLD_AFTER", "0"))

    def send(self, *, to: str, body: str, reference: str) -> Receipt:
        name = hashlib.sha256(reference.encode()).hexdigest()[:16]
        with open(self.folder / "calls.log", "a", encoding="utf-8") as log:
            log.write(reference + "\n")
        try:
            fd = os.open(self.folder / f"sent-{name}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return Receipt(message_id=f"folder-{name}")
        os.write(fd, reference.encode())
        os.close(fd)
        if self.hold_after and len(list(self.folder.glob("sent-*"))) >= self.hold_after:
            threading.Event().wait(120)
        return Receipt(message_id=f"folder-{name}")
