"""The accounts' one API endpoint: `POST /api/token/` (routed in project/api/urls.py)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from project.api.parsers import JSONParser
from project.api.schema import bad_request, error
from project.api.views import ApiView

from .services import token_login
from .throttling import (
    COOLOFF_IN_WORDS,
    COOLOFF_SECONDS,
    LOCKOUT_MESSAGE,
    LockedOut,
    LoginLockoutThrottle,
    refusal_message,
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Username or email address.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


@extend_schema_view(
    post=extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: bad_request("Wrong username/email or password, or malformed JSON."),
            429: error(
                f"Five failed logins in a row for this account from this address: refused for {COOLOFF_IN_WORDS} "
                "(`Retry-After` gives the seconds left)."
            ),
        },
    )
)
class TokenView(ApiView, ObtainAuthToken):
    """Trade a username (or email) and password for the API token."""

    # Open to anybody: a stale `Authorization` header or a browser session must
    # not get in the way (401 "Invalid token.", 403 "CSRF Failed").
    authentication_classes = []
    parser_classes = [JSONParser]
    serializer_class = AuthTokenSerializer
    renderer_classes = ObtainAuthToken.renderer_classes
    # A locked account and address: 429 with Retry-After, before any password check.
    throttle_classes = [LoginLockoutThrottle]

    def throttled(self, request, wait):
        raise LockedOut(wait, refusal_message(request))

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if serializer.is_valid():
            token = token_login(user=serializer.validated_data["user"], request=request)
            return Response({"token": token.key})
        # The failure that locks the account (the fifth in a row) is answered like the tries
        # after it. The throttle's lock check set axes_locked_out before post() ran; axes sets
        # it again as it counts this failure.
        if request.axes_locked_out:
            return Response({"detail": LOCKOUT_MESSAGE}, status=429, headers={"Retry-After": COOLOFF_SECONDS})
        return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
