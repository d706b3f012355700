"""`POST /api/tickets/bulk/` (staff): one action on up to 100 tickets, each passing the same
rules alone (`tickets.bulk`). The shape of the whole request is checked first (a 400 changes
nothing); then each ticket answers with the HTTP code its single action would have given."""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from schools.roles import is_staff_member
from tickets import bulk
from tickets.api.permissions import signed_in_user
from tickets.api.serializers import AssignSerializer, CloseSerializer, ResolveSerializer, WaitSerializer

# Each action's own fields, checked by the serializer its single endpoint uses.
ACTION_FIELDS: dict[str, type[serializers.Serializer] | None] = {
    "assign": AssignSerializer,
    "start": None,
    "wait": WaitSerializer,
    "resolve": ResolveSerializer,
    "close": CloseSerializer,
}


class BulkSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=bulk.BULK_LIMIT)
    action = serializers.ChoiceField(choices=sorted(bulk.BULK_ACTIONS))
    # The chosen action's fields (assignee; reason and on; resolution, self_help; reason)
    # sit beside these two and are checked by that action's own serializer.
    assignee = serializers.IntegerField(required=False, help_text="assign: a technician's user id.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="wait, close.")
    on = serializers.CharField(required=False, help_text="wait: requester | third_party.")
    resolution = serializers.CharField(required=False, help_text="resolve.")
    self_help = serializers.CharField(required=False, allow_blank=True, help_text="resolve: the tip.")


BulkResult = inline_serializer(
    "BulkResult",
    {
        "results": serializers.ListField(
            child=inline_serializer(
                "BulkOutcome",
                {
                    "id": serializers.IntegerField(),
                    "status": serializers.IntegerField(),
                    "detail": serializers.CharField(),
                },
            )
        )
    },
)

SCHEMA = extend_schema(
    summary="One action on many tickets (staff)",
    request=BulkSerializer,
    responses={
        200: BulkResult,
        400: OpenApiResponse(description="Field errors; nothing changed."),
        403: OpenApiResponse(description="Only the help desk team."),
    },
    filters=False,
)


def bulk_action(request: Request) -> Response:
    if not is_staff_member(request.user):
        raise PermissionDenied("Only the help desk team can do that.")
    incoming = BulkSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    # The serializer refuses anything but an object, so the body is a mapping from here on.
    payload = request.data
    assert isinstance(payload, Mapping)
    action = incoming.validated_data["action"]
    fields: dict = {}
    shape = ACTION_FIELDS[action]
    if shape is not None:
        data = {key: value for key, value in payload.items() if key in shape().fields}
        body = shape(data=data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
    outcomes = bulk.act_on_many(
        actor=signed_in_user(request), ids=incoming.validated_data["ids"], action=action, fields=fields
    )
    results = [{"id": o.id, "status": o.status, "detail": o.detail} for o in outcomes]
    return Response({"results": results}, status=status.HTTP_200_OK)
