"""How an API request proves who sends it: a tablet's token (knox), as the REST settings list it."""

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, without reading every other token of the user on each request to delete the expired
    ones: the daily duty does that (core.services.purge_expired_credentials). An expired token is refused."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
