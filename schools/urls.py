"""Every HTML page of the schools app (schools, rotations, calendar, profile); included at the root."""

from django.urls import path

from schools import directory_views, views

urlpatterns = [
    path("schools/", directory_views.school_list, name="school_list"),
    path("schools/<int:pk>/", directory_views.school_edit, name="school_edit"),
    path("rotations/", views.rotations, name="rotations"),
    path("rotations/coverage/", views.coverage, name="coverage"),
    path("rotations/<int:pk>/edit/", views.rotation_edit, name="rotation_edit"),
    path("rotations/<int:pk>/delete/", views.rotation_delete, name="rotation_delete"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("calendar/feed/reset/", views.feed_reset, name="feed_reset"),
    path("calendar/<str:token>.ics", views.visits_feed, name="visits_feed"),
    path("profile/", views.profile, name="profile"),
    path("people/<int:user_id>/assessment/", views.assess, name="assess"),
]
