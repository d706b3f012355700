"""`/api/tickets/<id>/attachments/`: list, upload (multipart) and download a ticket's files.

The same service as the page (`tickets.attachments`): the same size and type
checks, the same visibility. Registered on the project router by `tickets.api.register`.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from tickets import attachments, selectors
from tickets.api.permissions import signed_in_user
from tickets.models import Attachment, Comment, Ticket
from tickets.views.attachments import download_response


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "ticket", "comment", "uploaded_by", "original_name", "content_type", "size", "created_at"]
        fields = [*fields, "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return f"/api/tickets/{attachment.ticket_id}/attachments/{attachment.pk}/download/"


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, max_length=200),
        min_length=1,
        help_text="One or more files: PNG, JPEG, GIF, WebP, PDF or plain text.",
    )
    comment = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="One of your own comments on this ticket."
    )


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file's bytes (`Accept: */*` or a binary type) without a 406."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else b""


REFUSED_404 = OpenApiResponse(description="No such ticket or file within the caller's reach.")


@extend_schema_view(
    list=extend_schema(
        summary="The ticket's files the caller may see", responses={200: AttachmentSerializer, 404: REFUSED_404}
    ),
    retrieve=extend_schema(summary="One file's details", responses={200: AttachmentSerializer, 404: REFUSED_404}),
)
class TicketAttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None

    def get_ticket(self) -> Ticket:
        ticket_pk = self.kwargs["ticket_pk"]
        if not str(ticket_pk).isdigit() or int(ticket_pk) > 2**62:
            raise Http404
        return get_object_or_404(selectors.tickets_visible_to(self.request.user), pk=int(ticket_pk))

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return attachments.attachments_visible_to(self.request.user, self.get_ticket())

    def get_object(self) -> Attachment:
        pk = self.kwargs["pk"]
        if not str(pk).isdigit() or int(pk) > 2**62:
            raise Http404
        return get_object_or_404(self.get_queryset(), pk=int(pk))

    @extend_schema(
        summary="Add files (multipart/form-data, field `file`, repeatable)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer(many=True),
            400: OpenApiResponse(description="Too big, wrong type, or not a file."),
            403: OpenApiResponse(description="Visible, but this caller may not add files to it."),
            404: REFUSED_404,
        },
    )
    def create(self, request: Request, ticket_pk: str | None = None) -> Response:
        ticket = self.get_ticket()
        # Only the multipart and form parsers are allowed here: the body is always a QueryDict.
        form = request.data
        assert isinstance(form, Mapping)
        incoming = AttachmentUploadSerializer(
            data={"file": request.FILES.getlist("file"), "comment": form.get("comment") or None}
        )
        incoming.is_valid(raise_exception=True)
        comment = None
        if incoming.validated_data.get("comment"):
            comment = Comment.objects.filter(ticket=ticket, pk=incoming.validated_data["comment"]).first()
            if comment is None:
                raise serializers.ValidationError({"comment": ["No such comment on this ticket."]})
        added = attachments.add_attachments(
            actor=signed_in_user(request), ticket=ticket, uploads=incoming.validated_data["file"], comment=comment
        )
        return Response(AttachmentSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The file itself, as a download",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: REFUSED_404},
    )
    @action(detail=True, methods=["get"], renderer_classes=[FileRenderer, JSONRenderer])
    def download(self, request: Request, ticket_pk: str | None = None, pk: str | None = None) -> FileResponse:
        return download_response(self.get_object())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "request": self.request}
