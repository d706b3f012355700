"""`/api/tickets/`: list, file, read, triage, the status actions, comments and history."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tickets import idempotency, selectors, services
from tickets.api import bulk as bulk_api
from tickets.api.permissions import TicketAccess, signed_in_user
from tickets.api.serializers import (
    AssignSerializer,
    CloseSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    EventSerializer,
    ReasonSerializer,
    ResolveSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
    WaitSerializer,
)
from tickets.filters import TicketFilter
from tickets.models import Ticket


class TicketFilterBackend(DjangoFilterBackend):
    """TicketFilter, except that unknown `ordering` terms are dropped rather than refused.

    A client sorting by a column we do not offer (`ordering=requester__password`)
    gets the default order, the same as on the HTML queue page.
    """

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        ordering = self.get_filterset_class(view, queryset).base_filters.get("ordering")
        data = kwargs["data"]
        if ordering is not None and "ordering" in data:
            allowed = {value for value, _label in ordering.extra["choices"]}
            terms = [
                term.strip()
                for value in data.getlist("ordering")
                for term in value.split(",")
                if term.strip() in allowed
            ]
            data = data.copy()
            if terms:
                data.setlist("ordering", [",".join(terms)])
            else:
                del data["ordering"]
            kwargs["data"] = data
        return kwargs


_Row = TypeVar("_Row")

REFUSED = {
    403: OpenApiResponse(description="The ticket is visible but this caller may not do this."),
    404: OpenApiResponse(description="No such ticket within the caller's reach."),
}
ACTION_RESPONSES = {
    200: TicketSerializer,
    400: OpenApiResponse(description="Field errors."),
    **REFUSED,
    409: OpenApiResponse(description="The ticket's status does not allow this action; nothing changed."),
}


def _action_schema(summary: str, request: type[serializers.Serializer] | None) -> Callable:
    return extend_schema(summary=summary, request=request, responses=ACTION_RESPONSES, filters=False)


@extend_schema_view(
    list=extend_schema(summary="Tickets within the caller's reach"),
    retrieve=extend_schema(summary="One ticket", responses={200: TicketSerializer, 404: REFUSED[404]}),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Every read starts from `selectors.ticket_list`, so what is out of reach is a 404 everywhere.
    # (A comment, not a docstring: drf-spectacular would print a docstring under every operation.)

    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticated, TicketAccess]
    filter_backends = [TicketFilterBackend]
    filterset_class = TicketFilter
    # No PUT (a ticket is never replaced whole) and no DELETE (tickets are closed, not removed).
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Ticket]:
        if self.action == "retrieve":
            return selectors.ticket_detail(self.request.user)
        return selectors.ticket_list(self.request.user)

    def filter_queryset(self, queryset: QuerySet[Ticket, _Row]) -> QuerySet[Ticket, _Row]:
        # Filters narrow the list; a ticket's own routes ignore them (no 404 from a stray ?status=).
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(
        summary="File a ticket",
        description=(
            "Send an `Idempotency-Key` header (any unique string up to 200 characters) to make a retry safe: "
            "the same key from the same user answers with the ticket the first request filed."
        ),
        request=TicketCreateSerializer,
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False, description="Optional.")
        ],
        responses={
            201: TicketSerializer,
            400: OpenApiResponse(description="Field errors."),
            422: OpenApiResponse(description="The Idempotency-Key was already used for a different request."),
        },
    )
    def create(self, request: Request) -> Response:
        incoming = TicketCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        user = signed_in_user(request)
        if key is None:
            ticket = services.create_ticket(actor=user, **incoming.validated_data)
            return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)
        try:
            ticket, created = idempotency.create_once(
                user=user,
                key=idempotency.check_key(key),
                data=incoming.initial_data,
                create=lambda: services.create_ticket(actor=user, **incoming.validated_data),
            )
        except idempotency.KeyReused as error:
            return Response(error.as_field_errors(), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        response = Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        summary="Triage a ticket (staff)",
        request=TicketUpdateSerializer,
        responses={
            200: TicketSerializer,
            400: OpenApiResponse(description="Field errors."),
            **REFUSED,
            409: OpenApiResponse(description="`version` is stale: someone changed the ticket since."),
        },
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        incoming = TicketUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        expected = changes.pop("version", None)
        ticket = services.update_ticket(
            actor=signed_in_user(request), ticket=ticket, changes=changes, expected_version=expected
        )
        return Response(TicketSerializer(ticket).data)

    def _act(self, request: Request, service: Callable[..., Ticket], incoming: type | None = None) -> Response:
        ticket = self.get_object()
        arguments: dict[str, Any] = {}
        if incoming is not None:
            body = incoming(data=request.data)
            body.is_valid(raise_exception=True)
            arguments = dict(body.validated_data)
        ticket = service(actor=signed_in_user(request), ticket=ticket, **arguments)
        return Response(TicketSerializer(ticket).data)

    @bulk_api.SCHEMA
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        return bulk_api.bulk_action(request)

    @_action_schema("Assign to a technician (staff)", AssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.assign_ticket, AssignSerializer)

    @_action_schema("Start work (staff)", None)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.start_ticket)

    @_action_schema("Put on hold, saying why and on whom (staff)", WaitSerializer)
    @action(detail=True, methods=["post"])
    def wait(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.wait_ticket, WaitSerializer)

    @_action_schema("Resolve, with how it was fixed (staff)", ResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.resolve_ticket, ResolveSerializer)

    @_action_schema("Close (staff, or the requester confirming a resolution)", CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.close_ticket, CloseSerializer)

    @_action_schema("Reopen (the requester of a resolved ticket, or staff)", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.reopen_ticket, ReasonSerializer)

    @extend_schema(
        methods=["GET"],
        summary="The conversation (requesters never see internal notes)",
        responses={200: CommentSerializer(many=True), 404: REFUSED[404]},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply, or (staff) write an internal note",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, 400: OpenApiResponse(description="Field errors."), **REFUSED},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        if request.method == "POST":
            incoming = CommentCreateSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            comment = services.add_comment(actor=signed_in_user(request), ticket=ticket, **incoming.validated_data)
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.comments_visible_to(request.user, ticket))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        summary="The ticket's history", responses={200: EventSerializer(many=True), 404: REFUSED[404]}, filters=False
    )
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        # Always a page: the API's default pagination is on for every list.
        page = self.paginate_queryset(selectors.events_visible_to(request.user, ticket)) or []
        return self.get_paginated_response(EventSerializer(selectors.redact_events(request.user, page), many=True).data)
