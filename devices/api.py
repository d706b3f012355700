"""`/api/assets/`, `/api/loans/`, `/api/maintenance-plans/` and `/api/maintenance-tasks/`.

Serializers check shape; devices.services decides and writes (its DomainError is
400 and PermissionDenied 403 in helpdesk.api). `GET /api/assets/<id>/tickets/` lists
tickets, so the tickets app registers it (devices never imports tickets).
"""

from typing import Any, cast

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from devices import selectors, services
from devices.filters import AssetFilter
from devices.models import Asset, Loan, MaintenancePlan, MaintenanceTask
from schools.models import School, Visit
from schools.roles import is_director, is_staff_member


class StaffOnly(permissions.BasePermission):
    """Devices are the team's: requesters get 403 on every list (API.md)."""

    message = "Only the help desk team can see devices."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_member(request.user)


class StaffReadDirectorWrites(permissions.BasePermission):
    message = "Only the IT director can change maintenance plans."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return is_staff_member(request.user)
        return is_director(request.user)


# --- devices ---------------------------------------------------------------------------


class AssetSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), allow_null=True, required=False)
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    warranty_days_left = serializers.SerializerMethodField()
    warranty_state = serializers.CharField(read_only=True)

    class Meta:
        model = Asset
        fields = ["id", *services.ASSET_FIELDS, "warranty_days_left", "warranty_state", "created_at", "updated_at"]
        read_only_fields = ["id", "warranty_days_left", "warranty_state", "created_at", "updated_at"]
        # The tag's case-insensitive uniqueness is the service's rule (a field error, not a 500).
        validators: list[Any] = []

    def get_warranty_days_left(self, asset: Asset) -> int | None:
        return asset.warranty_days_left()

    def create(self, validated_data: dict[str, Any]) -> Asset:
        return services.save_asset(actor=self.context["request"].user, changes=validated_data)

    def update(self, instance: Asset, validated_data: dict[str, Any]) -> Asset:
        return services.save_asset(actor=self.context["request"].user, asset=instance, changes=validated_data)


class AssetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Devices are retired or marked lost (`status`), never deleted: their tickets are their history."""

    serializer_class = AssetSerializer
    permission_classes = [StaffOnly]
    filterset_class = AssetFilter

    def get_queryset(self) -> QuerySet[Asset]:
        return selectors.asset_list(self.request.user).order_by("tag", "pk")


# --- loaners ----------------------------------------------------------------------------


class LoanSerializer(serializers.ModelSerializer):
    loaner = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    borrower = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    for_asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all(), allow_null=True, required=False)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "loaner",
            "borrower",
            "for_asset",
            "due_back",
            "note",
            "checked_out_at",
            "checked_out_by",
            "checked_in_at",
            "checked_in_by",
            "overdue",
        ]
        read_only_fields = ["id", "checked_out_at", "checked_out_by", "checked_in_at", "checked_in_by", "overdue"]

    def create(self, validated_data: dict[str, Any]) -> Loan:
        return services.check_out_loaner(actor=self.context["request"].user, **validated_data)


class LoanFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull", label="Still out")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")

    class Meta:
        model = Loan
        fields = ["borrower", "loaner", "open", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Loan], name: str, value: bool | None) -> QuerySet[Loan]:
        if value is None:
            return queryset
        overdue = selectors.overdue_loans().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = LoanSerializer
    permission_classes = [StaffOnly]
    filterset_class = LoanFilter

    def get_queryset(self) -> QuerySet[Loan]:
        return Loan.objects.select_related("loaner", "borrower").order_by("-checked_out_at", "-pk")

    @extend_schema(request=None, responses=LoanSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        loan = services.check_in_loaner(actor=cast(User, request.user), loan=self.get_object())
        return Response(LoanSerializer(loan).data)


# --- maintenance ------------------------------------------------------------------------


class MaintenancePlanSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), allow_null=True, required=False, help_text="Empty: every school."
    )
    every_n_weeks = serializers.IntegerField(min_value=1, max_value=services.MAX_PLAN_WEEKS, default=4)

    class Meta:
        model = MaintenancePlan
        fields = ["id", "title", "checklist", "school", "every_n_weeks", "starts_on", "active"]

    def create(self, validated_data: dict[str, Any]) -> MaintenancePlan:
        return services.save_plan(actor=self.context["request"].user, changes=validated_data)

    def update(self, instance: MaintenancePlan, validated_data: dict[str, Any]) -> MaintenancePlan:
        return services.save_plan(actor=self.context["request"].user, plan=instance, changes=validated_data)


class MaintenancePlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans are paused (`active: false`), not deleted, so done tasks keep their plan."""

    serializer_class = MaintenancePlanSerializer
    permission_classes = [StaffReadDirectorWrites]

    def get_queryset(self) -> QuerySet[MaintenancePlan]:
        return selectors.plan_list().order_by("title", "pk")


class MaintenanceTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceTask
        fields = ["id", "plan", "school", "visit", "due_on", "status", "note", "done_by", "done_at"]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MaintenanceTaskFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all())
    visit = django_filters.ModelChoiceFilter(queryset=Visit.objects.all())
    status = django_filters.ChoiceFilter(choices=MaintenanceTask.Status.choices)

    class Meta:
        model = MaintenanceTask
        fields = ["school", "visit", "status", "plan"]


class MaintenanceTaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MaintenanceTaskSerializer
    permission_classes = [StaffOnly]
    filterset_class = MaintenanceTaskFilter

    def get_queryset(self) -> QuerySet[MaintenanceTask]:
        return MaintenanceTask.objects.order_by("due_on", "pk")

    def _finish(self, request: Request, *, done: bool) -> Response:
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        task = services.finish_task(
            actor=cast(User, request.user),
            task=self.get_object(),
            done=done,
            note=incoming.validated_data.get("note", ""),
        )
        return Response(MaintenanceTaskSerializer(task).data, status=status.HTTP_200_OK)

    @extend_schema(request=NoteSerializer, responses=MaintenanceTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        return self._finish(request, done=True)

    @extend_schema(request=NoteSerializer, responses=MaintenanceTaskSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request: Request, pk: str | None = None) -> Response:
        return self._finish(request, done=False)


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
    router.register("assets", AssetViewSet, basename="asset")
    router.register("loans", LoanViewSet, basename="loan")
    router.register("maintenance-plans", MaintenancePlanViewSet, basename="maintenance-plan")
    router.register("maintenance-tasks", MaintenanceTaskViewSet, basename="maintenance-task")
