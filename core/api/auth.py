"""Token sign-in for the tablets: one hashed, expiring token per device, revoked at sign-out."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.settings import knox_settings
from knox.views import LogoutAllView, LogoutView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .authentication import TokenAuthentication


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        user = authenticate(self.context["request"], username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to sign in with the given username and password."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @classmethod
    def as_view(cls, **initkwargs):
        # Not in one transaction with the answer: a refused sign-in (400) must still leave its failure
        # count (django-axes) and its sign-in record behind.
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()})
        },
        summary="Sign in and get an API token",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, token = AuthToken.objects.create(user, knox_settings.TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        expiry = serializers.DateTimeField().to_representation(instance.expiry)
        return Response({"token": token, "expiry": expiry}, status=status.HTTP_200_OK)


@extend_schema(request=None, responses={204: None}, summary="Sign this device out: its token stops working at once")
class RevokeTokenView(LogoutView):
    authentication_classes = (TokenAuthentication,)


@extend_schema(request=None, responses={204: None}, summary="Sign every device of the user out")
class RevokeAllTokensView(LogoutAllView):
    authentication_classes = (TokenAuthentication,)
