"""Directors edit goals, the survey sample and the monthly report switch here; the rest are read-only records.

Django admin only lets `is_staff` users in; a director needs `is_staff` set to reach
it, and then these models grant them access without per-model permissions.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from schools.roles import is_director
from surveys.models import Goal, MonthlyReport, SurveyInvitation, SurveyResponse, SurveySettings


class DirectorEditable:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_director(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_director(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_director(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_director(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_director(request.user)


@admin.register(Goal)
class GoalAdmin(DirectorEditable, admin.ModelAdmin):
    list_display = [
        "school_year",
        "start_date",
        "end_date",
        "quality_satisfaction_pct",
        "timeliness_satisfaction_pct",
        "first_response_hours",
        "resolution_hours",
        "sla_met_pct",
    ]


@admin.register(SurveySettings)
class SurveySettingsAdmin(DirectorEditable, admin.ModelAdmin):
    list_display = ["__str__", "sample_percent", "monthly_report_enabled"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_director(request.user) and not SurveySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyForDirectors(DirectorEditable):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyForDirectors, admin.ModelAdmin):
    list_display = ["ticket", "email", "created_at", "sent_at", "reminded_at", "attempts", "failed_permanently"]
    list_filter = ["failed_permanently"]
    raw_id_fields = ["ticket", "closed_by"]
    # The token is a bearer credential: not shown.
    exclude = ["token"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyForDirectors, admin.ModelAdmin):
    list_display = ["ticket", "quality", "timeliness", "learned", "answered_at", "needs_follow_up", "followed_up_at"]
    list_filter = ["quality", "timeliness", "needs_follow_up"]
    raw_id_fields = ["ticket", "invitation", "followed_up_by"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyForDirectors, admin.ModelAdmin):
    list_display = ["month", "recipient", "created_at", "forced", "email"]
    list_filter = ["month", "forced"]
    raw_id_fields = ["recipient", "email"]
