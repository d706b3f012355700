"""REST API of the schools app: schools, rotations, visits, the district calendar, closures.

Serializers check shape; the services in schools.services check
rules (their DomainError becomes 400, PermissionDenied 403 in helpdesk.api).
"""

from typing import Any, cast

import django_filters
from django.contrib.auth.models import User
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from schools import services
from schools.calendar import get_calendar, school_year_of
from schools.models import Closure, DistrictCalendar, Rotation, School, Visit
from schools.roles import is_director, is_staff_member
from schools.selectors import rotation_list, visit_list


class SignedInReadDirectorWrites(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_director(request.user)


class StaffReadDirectorWrites(permissions.BasePermission):
    """Rotations, visits and the calendar's settings are the team's business: requesters get 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return is_staff_member(request.user)
        return is_director(request.user)


# --- schools -------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer):
    campus_contact = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)

    class Meta:
        model = School
        fields = ["id", "name", "code", "level", "address", "campus_contact"]
        # Unique code: services.create_school checks it (case-insensitively), for the pages too.
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}

    def create(self, validated_data: dict[str, Any]) -> School:
        return services.create_school(actor=self.context["request"].user, **validated_data)

    def update(self, instance: School, validated_data: dict[str, Any]) -> School:
        return services.update_school(actor=self.context["request"].user, school=instance, changes=validated_data)


class SchoolViewSet(viewsets.ModelViewSet):
    """Creating a school creates its queue (the post_save hook in the tickets app)."""

    queryset = School.objects.order_by("name", "pk")
    serializer_class = SchoolSerializer
    permission_classes = [SignedInReadDirectorWrites]
    filterset_fields = ["level"]


# --- rotations and visits ------------------------------------------------------------


class RotationSerializer(serializers.ModelSerializer):
    technician = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), allow_empty=False, max_length=7
    )
    every_n_weeks = serializers.IntegerField(min_value=1, max_value=services.MAX_EVERY_N_WEEKS, default=1)

    class Meta:
        model = Rotation
        fields = ["id", "technician", "school", "weekdays", "every_n_weeks", "start_date", "end_date"]

    def create(self, validated_data: dict[str, Any]) -> Rotation:
        return services.create_rotation(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Rotation, validated_data: dict[str, Any]) -> Rotation:
        return services.update_rotation(actor=self.context["request"].user, rotation=instance, changes=validated_data)


class RotationFilter(django_filters.FilterSet):
    class Meta:
        model = Rotation
        fields = ["technician", "school"]


class RotationViewSet(viewsets.ModelViewSet):
    queryset = rotation_list()
    serializer_class = RotationSerializer
    permission_classes = [StaffReadDirectorWrites]
    filterset_class = RotationFilter

    def perform_destroy(self, instance: Rotation) -> None:
        services.delete_rotation(actor=cast(User, self.request.user), rotation=instance)


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "technician", "school", "date", "status", "rotation", "checked_in_at", "completed_at"]
        read_only_fields = fields


class VisitFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["technician", "school", "status", "date_from", "date_to"]


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """Visits are generated from rotations; nobody writes them through the API."""

    queryset = visit_list()
    serializer_class = VisitSerializer
    permission_classes = [StaffReadDirectorWrites]
    filterset_class = VisitFilter


# --- calendar -----------------------------------------------------------------------------


class HoursField(serializers.DictField):
    """`{"1": ["07:30", "16:30"], ...}`; the service checks the times."""

    child = serializers.ListField(child=serializers.CharField(max_length=8), min_length=2, max_length=2)


class CalendarSerializer(serializers.ModelSerializer):
    weekly_hours = HoursField()
    summer_hours = HoursField(required=False)
    time_zone = serializers.SerializerMethodField()

    class Meta:
        model = DistrictCalendar
        fields = ["id", "time_zone", *services.CALENDAR_FIELDS, "updated_at"]
        read_only_fields = ["id", "time_zone", "updated_at"]

    def get_time_zone(self, obj: DistrictCalendar) -> str:
        from django.conf import settings

        return settings.TIME_ZONE

    def update(self, instance: DistrictCalendar, validated_data: dict[str, Any]) -> DistrictCalendar:
        return services.update_calendar(actor=self.context["request"].user, changes=validated_data)


class CalendarViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The one district calendar: `GET /api/calendar/` lists it, `PATCH /api/calendar/1/` edits it."""

    serializer_class = CalendarSerializer
    permission_classes = [StaffReadDirectorWrites]

    def get_queryset(self) -> Any:
        return DistrictCalendar.objects.order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        get_calendar()  # nothing to create: the data migration stores the row
        return super().list(request, *args, **kwargs)


class ClosureSerializer(serializers.ModelSerializer):
    end_date = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Closure
        fields = ["id", "name", "kind", "start_date", "end_date", "federal"]
        read_only_fields = ["federal"]

    def create(self, validated_data: dict[str, Any]) -> Closure:
        return services.add_closure(actor=self.context["request"].user, **validated_data)


class FederalHolidaysSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class ClosureFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Closure
        fields = ["kind", "date_from", "date_to"]


class ClosureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Holidays, breaks and closures. Adding or removing one re-plans visits."""

    queryset = Closure.objects.order_by("start_date", "pk")
    serializer_class = ClosureSerializer
    permission_classes = [StaffReadDirectorWrites]
    filterset_class = ClosureFilter

    def perform_destroy(self, instance: Closure) -> None:
        services.remove_closure(actor=cast(User, self.request.user), closure=instance)

    @action(detail=False, methods=["post"], url_path="federal-holidays", serializer_class=FederalHolidaysSerializer)
    def federal_holidays(self, request: Request) -> Response:
        """Load the US federal holidays of a school year (default: the current one)."""
        from django.utils import timezone

        serializer = FederalHolidaysSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        year = serializer.validated_data.get("school_year") or school_year_of(timezone.localdate())
        added = services.load_federal_holidays(actor=cast(User, request.user), school_year=year)
        return Response({"school_year": year, "added": added}, status=status.HTTP_200_OK)


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
    router.register("schools", SchoolViewSet, basename="school")
    router.register("rotations", RotationViewSet, basename="rotation")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("calendar", CalendarViewSet, basename="calendar")
    router.register("closures", ClosureViewSet, basename="closure")
