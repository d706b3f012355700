"""Shapes of the ticket API. They check types, lengths and ids; the services check the rules."""

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from devices.models import Asset
from schools.models import School
from tickets.models import Article, Category, Comment, Impact, Ticket, TicketEvent, Urgency

User = get_user_model()

TICKET_FIELDS = [
    "id",
    "title",
    "description",
    "school",
    "queue",
    "category",
    "impact",
    "urgency",
    "priority",
    "status",
    "requester",
    "assignee",
    "service_mode",
    "asset_tag",
    "asset",
    "device_owner",
    "needed_by",
    "visit",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "response_due_at",
    "resolution_due_at",
]
# Beyond the contract: what a client needs to show and edit a ticket safely.
TICKET_EXTRAS = [
    "priority_display",
    "status_display",
    "resolution",
    "self_help",
    "self_help_article",
    "version",
    "updated_at",
    "waiting_on",
]


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as every reader gets it; related objects are ids, so a list page costs no extra queries."""

    priority_display = serializers.CharField(source="get_priority_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back with a PATCH to refuse the change if someone edited the ticket since."
    )
    # Declared so the schema says "" (not about a device) is a possible value.
    device_owner = serializers.ChoiceField(choices=Ticket.DeviceOwner.choices, allow_blank=True, read_only=True)
    self_help_article: serializers.PrimaryKeyRelatedField[Article] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    waiting_on = serializers.ChoiceField(
        choices=Ticket.WaitingOn.choices,
        allow_blank=True,
        read_only=True,
        help_text="Whom a waiting ticket waits on; blank when it is not waiting.",
    )

    class Meta:
        model = Ticket
        fields = TICKET_FIELDS + TICKET_EXTRAS
        read_only_fields = fields


class TicketCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=Ticket._meta.get_field("title").max_length)
    description = serializers.CharField(max_length=Ticket._meta.get_field("description").max_length)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    impact = serializers.ChoiceField(choices=Impact.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True, help_text="Defaults to the requester's school."
    )
    requester = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="Staff only: file on someone's behalf. Ignored for everyone else, who always files for themselves.",
    )
    service_mode = serializers.ChoiceField(choices=Ticket.ServiceMode.choices, required=False, allow_null=True)
    asset_tag = serializers.CharField(
        max_length=Ticket._meta.get_field("asset_tag").max_length, required=False, allow_blank=True
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True, help_text="Staff only: sets asset_tag."
    )
    device_owner = serializers.ChoiceField(choices=Ticket.DeviceOwner.choices, required=False, allow_blank=True)
    needed_by = serializers.DateField(required=False, allow_null=True)


class StrictKeysMixin(serializers.Serializer):
    """Refuse keys the endpoint does not take, instead of silently dropping e.g. `status`."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["This field cannot be changed here."] for key in unknown})
        return attrs


class TicketUpdateSerializer(StrictKeysMixin):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    impact = serializers.ChoiceField(choices=Impact.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    service_mode = serializers.ChoiceField(choices=Ticket.ServiceMode.choices, required=False, allow_null=True)
    asset_tag = serializers.CharField(
        max_length=Ticket._meta.get_field("asset_tag").max_length, required=False, allow_blank=True
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True, help_text="The device; sets asset_tag."
    )
    device_owner = serializers.ChoiceField(choices=Ticket.DeviceOwner.choices, required=False, allow_blank=True)
    needed_by = serializers.DateField(required=False, allow_null=True)
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read; a newer one on the server answers 409."
    )


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="A technician's user id.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class WaitSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    on = serializers.ChoiceField(
        choices=Ticket.WaitingOn.choices,
        default=Ticket.WaitingOn.REQUESTER,
        help_text="Whom it waits on. A reply from the requester resumes a ticket waiting on them.",
    )


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=20000)
    self_help = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, help_text="How the requester can handle it next time."
    )
    self_help_article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(),
        required=False,
        allow_null=True,
        help_text="A self-help article to send with it.",
    )


def display_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "author_name", "body", "internal", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_author_name(self, comment: Comment) -> str:
        return display_name(comment.author)


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment._meta.get_field("body").max_length)
    internal = serializers.BooleanField(default=False, help_text="An internal note; staff only.")


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["id", "actor", "actor_name", "kind", "data", "created_at"]
        read_only_fields = fields
        # `data` is set here rather than declared: a declared field would shadow `Serializer.data`.
        extra_kwargs = {"data": {"help_text": "What changed; its keys depend on the kind."}}

    @extend_schema_field(serializers.CharField())
    def get_actor_name(self, event: TicketEvent) -> str:
        return display_name(event.actor)
