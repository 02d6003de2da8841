"""The owner token in the OpenAPI schema: a bearer token of its own, apart from the staff's `Token …`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OwnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "owners.auth.OwnerTokenAuthentication"
    name = "ownerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Owner token from POST /api/v1/owner/auth/token/ (SMS-code sign-in).",
        }
