"""Survey answers and the director's metrics over the API (API.md "Surveys", "Metrics")."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from schools.models import School
from schools.roles import is_director
from surveys import metrics, selectors
from surveys.dashboard.selectors import ensure_rollup
from surveys.filters import SurveyResponseFilter
from surveys.models import SurveyResponse
from tickets.models import Category


class IsDirector(permissions.BasePermission):
    message = "Only the IT director can see survey answers and metrics."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_director(request.user)


class SurveyResponseSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="ticket.school_id", read_only=True)
    technician = serializers.IntegerField(source="ticket.assignee_id", read_only=True, allow_null=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "ticket", "school", "technician", "timeliness", "quality", "comment", "learned", "answered_at"]
        read_only_fields = fields


class SurveyResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every survey answer, for the director; filters school, technician, category, date_from, date_to."""

    serializer_class = SurveyResponseSerializer
    permission_classes = [permissions.IsAuthenticated, IsDirector]
    filterset_class = SurveyResponseFilter

    def get_queryset(self):  # noqa: ANN201 - QuerySet[SurveyResponse]
        return selectors.responses_for_directors()


class SummaryParams(serializers.Serializer):
    date_from = serializers.DateField(required=False, validators=[metrics.within_range])
    date_to = serializers.DateField(required=False, validators=[metrics.within_range])
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    technician = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        date_to = attrs.get("date_to") or timezone.localdate()
        # Without date_from: the start of the school year that contains date_to.
        date_from = attrs.get("date_from") or metrics.default_range(date_to)[0]
        problem = metrics.range_error(date_from, date_to)
        if problem:
            raise serializers.ValidationError({"date_from": [problem]})
        attrs["date_from"], attrs["date_to"] = date_from, date_to
        return attrs

    def to_filters(self) -> metrics.Filters:
        return metrics.Filters.from_cleaned(self.validated_data)


class SummarySerializer(serializers.Serializer):
    """The response shape, for the schema."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    tickets_opened = serializers.IntegerField()
    tickets_closed = serializers.IntegerField()
    backlog = serializers.IntegerField()
    median_first_response_minutes = serializers.FloatField(allow_null=True)
    median_resolution_minutes = serializers.FloatField(allow_null=True)
    sla_met_pct = serializers.FloatField(allow_null=True)
    surveys_sent = serializers.IntegerField()
    surveys_answered = serializers.IntegerField()
    response_rate_pct = serializers.FloatField(allow_null=True)
    quality_mean = serializers.FloatField(allow_null=True)
    quality_satisfaction_pct = serializers.FloatField(allow_null=True)
    timeliness_mean = serializers.FloatField(allow_null=True)
    timeliness_satisfaction_pct = serializers.FloatField(allow_null=True)
    remote_pct = serializers.FloatField(allow_null=True)
    goal_quality_satisfaction_pct = serializers.FloatField(allow_null=True)


class MetricsSummaryViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, IsDirector]

    @extend_schema(parameters=[SummaryParams], responses=SummarySerializer)
    def list(self, request: Request) -> Response:
        params = SummaryParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(metrics.summary(params.to_filters()))


class BreakdownParams(SummaryParams):
    by = serializers.ChoiceField(choices=list(metrics.BREAKDOWNS))


class TrendParams(SummaryParams):
    interval = serializers.ChoiceField(choices=list(metrics.INTERVALS), required=False, default="month")


class FiguresSerializer(serializers.Serializer):
    """The additive figures of surveys.metrics.derive, for the schema."""

    tickets_opened = serializers.IntegerField()
    tickets_closed = serializers.IntegerField()
    sla_met_pct = serializers.FloatField(allow_null=True)
    surveys_sent = serializers.IntegerField()
    surveys_answered = serializers.IntegerField()
    response_rate_pct = serializers.FloatField(allow_null=True)
    quality_mean = serializers.FloatField(allow_null=True)
    quality_satisfaction_pct = serializers.FloatField(allow_null=True)
    timeliness_mean = serializers.FloatField(allow_null=True)
    timeliness_satisfaction_pct = serializers.FloatField(allow_null=True)
    remote_pct = serializers.FloatField(allow_null=True)
    learned_pct = serializers.FloatField(allow_null=True)


class BreakdownRowSerializer(FiguresSerializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class BreakdownSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by = serializers.CharField()
    results = BreakdownRowSerializer(many=True)


class TrendPointSerializer(FiguresSerializer):
    period = serializers.DateField()
    goal_quality_satisfaction_pct = serializers.FloatField(allow_null=True)
    goal_timeliness_satisfaction_pct = serializers.FloatField(allow_null=True)


class TrendSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    interval = serializers.CharField()
    results = TrendPointSerializer(many=True)


class _RolledUpMetricsViewSet(viewsets.ViewSet):
    """Shared by breakdown and timeseries: validate, make sure the rollup exists, answer one shape."""

    permission_classes = [permissions.IsAuthenticated, IsDirector]
    params_class: type[SummaryParams]
    option: str  # the parameter that picks the grouping ("by" or "interval"), echoed in the answer
    compute: Callable[[metrics.Filters, str], list[dict[str, Any]]]

    def list(self, request: Request) -> Response:
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        ensure_rollup()
        filters = params.to_filters()
        option = params.validated_data[self.option]
        return Response(
            {
                "date_from": filters.date_from.isoformat(),
                "date_to": filters.date_to.isoformat(),
                self.option: option,
                "results": self.compute(filters, option),
            }
        )


@extend_schema_view(list=extend_schema(parameters=[BreakdownParams], responses=BreakdownSerializer))
class MetricsBreakdownViewSet(_RolledUpMetricsViewSet):
    """Figures per school, technician or category (summed from the daily rollup; see surveys.metrics)."""

    params_class = BreakdownParams
    option = "by"
    compute = staticmethod(metrics.breakdown)


@extend_schema_view(list=extend_schema(parameters=[TrendParams], responses=TrendSerializer))
class MetricsTimeseriesViewSet(_RolledUpMetricsViewSet):
    """Figures per week (from Monday) or month, each with its school year's goals."""

    params_class = TrendParams
    option = "interval"
    compute = staticmethod(metrics.trend)


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
    router.register(r"surveys/responses", SurveyResponseViewSet, basename="survey-response")
    router.register(r"metrics/summary", MetricsSummaryViewSet, basename="metrics-summary")
    router.register(r"metrics/breakdown", MetricsBreakdownViewSet, basename="metrics-breakdown")
    router.register(r"metrics/timeseries", MetricsTimeseriesViewSet, basename="metrics-timeseries")
    # The dashboard's first name for the same figures; kept so scripts written against it still work.
    router.register(r"metrics/trend", MetricsTimeseriesViewSet, basename="metrics-trend")
