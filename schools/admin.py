from django.contrib import admin

from schools.models import CalendarFeed, Closure, DistrictCalendar, Profile, Rotation, School, Visit


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "campus_contact"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["campus_contact"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "tech_comfort"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin):
    """Read here; change rotations on /rotations/ so visits are re-planned."""

    list_display = ["school", "technician", "weekdays", "every_n_weeks", "start_date", "end_date"]
    list_filter = ["technician"]
    readonly_fields = ["technician", "school", "weekdays", "every_n_weeks", "start_date", "end_date"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["date", "school", "technician", "status"]
    list_filter = ["status", "technician"]
    date_hierarchy = "date"
    raw_id_fields = ["rotation"]


@admin.register(DistrictCalendar)
class DistrictCalendarAdmin(admin.ModelAdmin):
    list_display = ["__str__", "summer_start", "summer_end", "load_balanced_assignment", "updated_at"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "start_date", "end_date", "federal"]
    list_filter = ["kind", "federal"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    readonly_fields = ["token"]
