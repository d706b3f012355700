"""`/api/replies/` (staff): saved replies. A technician reads the shared ones and their own and
writes their own; the director writes the shared ones. `GET /api/replies/<id>/fill/?ticket=<id>`
answers the body with the placeholders filled in for that ticket."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from schools.roles import is_staff_member
from tickets import replies, selectors
from tickets.api.permissions import signed_in_user
from tickets.models import SavedReply


class StaffOnly(BasePermission):
    message = "Only the help desk team can do that."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_staff_member(request.user))


class SavedReplySerializer(serializers.ModelSerializer):
    owner: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SavedReply
        fields = ["id", "title", "body", "shared", "owner", "updated_at"]
        read_only_fields = ["id", "owner", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> SavedReply:
        return replies.save_reply(actor=self.context["request"].user, **validated_data)

    def update(self, instance: SavedReply, validated_data: dict[str, Any]) -> SavedReply:
        data = {"title": instance.title, "body": instance.body, "shared": instance.shared, **validated_data}
        return replies.save_reply(actor=self.context["request"].user, reply=instance, **data)


class SavedReplyViewSet(viewsets.ModelViewSet):
    serializer_class = SavedReplySerializer
    permission_classes = [IsAuthenticated, StaffOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[SavedReply]:
        return replies.replies_visible_to(self.request.user)

    def perform_destroy(self, instance: SavedReply) -> None:
        replies.delete_reply(actor=signed_in_user(self.request), reply=instance)

    @extend_schema(
        summary="The reply's body filled in for one ticket",
        parameters=[OpenApiParameter("ticket", int, required=True)],
        responses={200: inline_serializer("FilledReply", {"body": serializers.CharField()}), 404: OpenApiResponse()},
    )
    @action(detail=True, methods=["get"])
    def fill(self, request: Request, pk: str | None = None) -> Response:
        reply = self.get_object()
        ticket_id = request.query_params.get("ticket", "")
        if not ticket_id.isdigit():
            raise ValidationError({"ticket": ["A ticket id is required."]})
        ticket = get_object_or_404(selectors.ticket_detail(request.user), pk=int(ticket_id))
        return Response({"body": replies.fill(reply.body, ticket=ticket, actor=signed_in_user(request))})
