"""The director's people pages and password reset (sign-in is people's); included at the root."""

from django.contrib.auth import views as auth_views
from django.urls import path

from people import directory_views, import_views
from people.account_views import ThrottledPasswordResetView

urlpatterns = [
    path("people/", directory_views.person_list, name="person_list"),
    path("people/import/", import_views.roster_import, name="roster_import"),
    path("people/import/<int:pk>/", import_views.roster_import_detail, name="roster_import_detail"),
    path("people/import/<int:pk>/apply/", import_views.roster_import_apply, name="roster_import_apply"),
    path("people/import/<int:pk>/progress/", import_views.roster_import_progress, name="roster_import_progress"),
    path("people/<int:pk>/", directory_views.person_detail, name="person_detail"),
    path("people/<int:pk>/campus-contact/", directory_views.person_campus_contact, name="person_campus_contact"),
    path("people/<int:pk>/active/", directory_views.person_active, name="person_active"),
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
