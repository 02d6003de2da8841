"""Who the signed-in owner is: a mobile number, and every customer record with that number and a live purchase.

An `Owner` is never a staff user: it has no roles, so no staff page, endpoint or policy lets it through.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Owner:
    mobile: str
    customer_ids: tuple[int, ...]
    session_id: int | None = None
    is_authenticated: bool = field(default=True, init=False)
    is_active: bool = field(default=True, init=False)
    is_superuser: bool = field(default=False, init=False)
    is_staff: bool = field(default=False, init=False)
    roles: frozenset = field(default=frozenset(), init=False)
    pk = None

    def has_role(self, *roles) -> bool:
        return False

    def __str__(self):
        from core.access import mask_phone

        return mask_phone(self.mobile)
