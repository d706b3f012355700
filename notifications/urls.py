"""Every HTML page of the notifications app; included at the root."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("profile/email/", views.email_preferences, name="email_preferences"),
]
