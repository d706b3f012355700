"""The director's people pages; included at the root."""

from django.urls import path

from people import directory_views

urlpatterns = [
    path("people/", directory_views.person_list, name="person_list"),
    path("people/<int:pk>/", directory_views.person_detail, name="person_detail"),
    path("people/<int:pk>/campus-contact/", directory_views.person_campus_contact, name="person_campus_contact"),
    path("people/<int:pk>/active/", directory_views.person_active, name="person_active"),
]
