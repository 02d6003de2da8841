"""Owner sessions, apart from staff sessions: the portal's own cookie, and the owner API's bearer token.

Neither touches Django's authentication, so `request.user` stays anonymous for an owner: every staff page
sends them to the staff sign-in, every staff endpoint answers 401, and a staff session opens no owner page.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from rest_framework import authentication, exceptions, permissions

from . import services
from .choices import SessionKind

COOKIE = "owner_session"


def owner_required(view):
    """A portal page: the owner from the portal's cookie as `request.owner`, else the sign-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.owner = services.owner_for_token(request.COOKIES.get(COOKIE), kind=SessionKind.WEB)
        if request.owner is None:
            return redirect("owners:sign-in")
        return view(request, *args, **kwargs)

    return wrapped


def set_session_cookie(response, token: str, expires_at) -> None:
    response.set_cookie(
        COOKIE, token, expires=expires_at, httponly=True, samesite="Lax", secure=not settings.DEBUG, path="/owner/"
    )


class OwnerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <owner token>`; staff tokens (`Token …`) are not read here, nor owner tokens
    anywhere else."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed()
        owner = services.owner_for_token(header[1].decode(errors="ignore"), kind=SessionKind.API)
        if owner is None:
            raise exceptions.AuthenticationFailed()
        return owner, None

    def authenticate_header(self, request):
        return self.keyword


class IsOwner(permissions.BasePermission):
    def has_permission(self, request, view):
        return getattr(request.user, "customer_ids", None) is not None
