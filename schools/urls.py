"""Every HTML page of the schools app (rotations, calendar, profile, password reset); included at the root."""

from django.contrib.auth import views as auth_views
from django.urls import path

from schools import views
from schools.account_views import ThrottledPasswordResetView

urlpatterns = [
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
    path("accounts/password-reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
