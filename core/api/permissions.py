"""DRF side of the permission layer: every viewset declares a core.access.Policy."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RoleAccess(BasePermission):
    """Reads need a reading role, writes a writing role; rows are scoped by the viewset's policy.

    A view without a policy is open to any signed-in staff member (e.g. the schema).
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        policy = getattr(view, "policy", None)
        if policy is None:
            return True
        if request.method in SAFE_METHODS:
            return policy.can_read(user)
        if request.method == "DELETE":
            return policy.can_delete(user)
        return policy.can_write(user)
