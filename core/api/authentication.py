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

from core.db import CompiledLookup
from core.models import User, access_row_fields, with_access


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, reading the token's user with their roles and projects in the same statement (the
    two statements every request would ask next), and without reading every other token of the user on each
    request to delete the expired ones: the daily duty does that (core.services.purge_expired_credentials). An
    expired token is refused."""

    def authenticate_credentials(self, token):
        token = token.decode()
        for auth_token in tokens_with_access(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                break
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


TOKEN_FIELDS = tuple(field.attname for field in AuthToken._meta.concrete_fields)
_KEY = "\x00token key\x00"  # where the key goes among the statement's parameters
_TOKENS = CompiledLookup(
    AuthToken,
    lambda: with_access(AuthToken.objects.filter(token_key=_KEY), user="user_id").values_list(
        *TOKEN_FIELDS, *access_row_fields("user__")
    ),
    marker=_KEY,
)


def tokens_with_access(key: str):
    """The tokens of `key` with their users, and each user's roles and projects taken (`with_access`): what
    every API request asks first, compiled once per connection and prepared (planning it took PostgreSQL twice
    as long as running it)."""
    alias, rows = _TOKENS.rows(key)
    for row in rows:
        auth_token = AuthToken.from_db(alias, TOKEN_FIELDS, row[: len(TOKEN_FIELDS)])
        auth_token.user = User.from_access_row(alias, row[len(TOKEN_FIELDS) :])
        yield auth_token
