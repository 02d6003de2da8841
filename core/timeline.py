"""The customer timeline: each app contributes events; the page shows them in one sequence (J21, J22).

Apps register a provider in their AppConfig.ready(); a provider takes a customer id and the viewer
(None for a system reader) and returns TimelineEvents, leaving out what the viewer may not see.
This keeps lower apps ignorant of higher ones: the timeline asks, nobody imports upwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .pages import may_open_path

Provider = Callable[..., Iterable["TimelineEvent"]]

_providers: list[Provider] = []


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    kind: str  # a short slug: "visit", "follow_up", "message", "complaint" …
    title: str
    detail: str = ""
    actor: str = ""
    url: str = ""


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def events_for(customer_id: int, *, viewer=None) -> list[TimelineEvent]:
    """All events of one customer, newest first; an event links only to a page its viewer may open."""
    events = [event for provider in _providers for event in provider(customer_id, viewer=viewer)]
    if viewer is not None:
        opens: dict[str, bool] = {}
        events = [
            event
            if not event.url or opens.setdefault(event.url, may_open_path(viewer, event.url))
            else replace(event, url="")
            for event in events
        ]
    return sorted(events, key=lambda event: event.at, reverse=True)
