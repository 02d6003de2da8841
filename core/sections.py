"""Sections that higher apps add to a lower app's page, without the lower app importing them.

The project page (estates) shows, for instance, the defects of earlier projects of the same kind
(complaints, rule D4). A higher app registers a provider for a page name in its AppConfig.ready();
the page asks for its sections and includes each section's template with its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Provider = Callable[..., "Section | None"]

_providers: dict[str, list[Provider]] = {}


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)


def register(page: str, provider: Provider) -> Provider:
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def for_page(page: str, *, user, **subject) -> list[Section]:
    """The sections of one page for this user; a provider returns None to add nothing."""
    return [section for provider in _providers.get(page, []) if (section := provider(user=user, **subject))]


def rendered(page: str, *, request, **subject) -> list[dict]:
    """The sections as HTML, ready for the page's template: [{"title", "html"}]."""
    from django.template.loader import render_to_string

    return [
        {"title": section.title, "html": render_to_string(section.template, section.context, request)}
        for section in for_page(page, user=request.user, **subject)
    ]
