from django.urls import path

from tickets.kb import views

app_name = "kb"

urlpatterns = [
    path("kb/", views.index, name="index"),
    path("kb/new/", views.new, name="new"),
    path("kb/stats/", views.stats, name="stats"),
    path("kb/suggest/", views.suggest, name="suggest"),
    path("kb/from-ticket/<int:ticket_id>/", views.from_ticket, name="from_ticket"),
    path("kb/<int:pk>/", views.detail, name="detail"),
    path("kb/<int:pk>/edit/", views.edit, name="edit"),
    path("kb/<int:pk>/vote/", views.vote, name="vote"),
    path("kb/<int:pk>/solved/", views.solved, name="solved"),
]
