"""How an API request proves who sends it: a tablet's token (knox), as the REST settings list it."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework.exceptions import AuthenticationFailed

from core.models import with_access


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, reading the token's user with their roles and projects in the same statement (the
    two statements every request would ask next), and without reading every other token of the user on each
    request to delete the expired ones: the daily duty does that (core.services.purge_expired_credentials). An
    expired token is refused."""

    def authenticate_credentials(self, token):
        token = token.decode()
        candidates = AuthToken.objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for auth_token in with_access(candidates, user="user_id"):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                break
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                auth_token.user.take_access(auth_token.access_roles, auth_token.access_projects)
                return self.validate_user(auth_token)
        raise AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
