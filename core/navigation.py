"""A navigation entry of the dashboard: shown to the users whose roles its policy lets read."""

from dataclasses import dataclass

from .access import Policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    policy: Policy | None = None
    section: str = ""
