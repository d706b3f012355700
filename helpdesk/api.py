"""Project-wide API glue: domain errors become HTTP answers in one place."""

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from people.services import may_sign_out, sign_out_everywhere
from schools.errors import Conflict, DomainError, PermissionDenied
from tickets.errors import InvalidTransition


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc), "status": exc.current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response(exc.as_field_errors(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError | RestrictedError):
        # Deleting a school, queue or category that tickets still name: the history stays.
        blocking = list(getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or [])
        name = blocking[0]._meta.verbose_name_plural if blocking else "other records"
        return Response(
            {"detail": f"It cannot be deleted while {name} refer to it."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class TokenRequestSerializer(AuthTokenSerializer):
    # No username is longer than the user table allows: a longer one is a 400 here instead
    # of a 500 where the sign-in throttle (django-axes) records the failed attempt.
    username = serializers.CharField(label="Username", max_length=150, write_only=True)


class ObtainToken(ObtainAuthToken):
    """`POST /api/auth/token/`: DRF's view, reading JSON with the API's own parser (helpdesk.parsers).

    `DELETE /api/auth/token/` revokes the caller's token (204); the next POST makes a new one.
    """

    parser_classes = APIView.parser_classes
    serializer_class = TokenRequestSerializer

    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            return Response({"detail": "Sign in first."}, status=status.HTTP_401_UNAUTHORIZED)
        Token.objects.filter(user_id=request.user.pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutRequestSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class SignOutEverywhere(APIView):
    """`POST /api/auth/sign-out-everywhere/` `{"user"}` (optional): end every session and API token.

    Without `user`, the caller's own; a director may name anyone. Answers 204.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = SignOutRequestSerializer

    def post(self, request: Request) -> Response:
        actor = cast(User, request.user)  # IsAuthenticated
        serializer = SignOutRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person_id = serializer.validated_data.get("user", actor.pk)
        if not may_sign_out(actor=actor, person_id=person_id):  # before saying whether they exist
            raise DjangoPermissionDenied("Only the IT director can sign someone else out.")
        person = get_user_model().objects.filter(pk=person_id).first()
        if person is None:
            return Response({"user": ["No person has this id."]}, status=status.HTTP_400_BAD_REQUEST)
        sign_out_everywhere(actor=actor, person=person)
        return Response(status=status.HTTP_204_NO_CONTENT)
