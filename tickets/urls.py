from django.urls import path

from tickets import views
from tickets.views.actions import ACTIONS

urlpatterns = [
    path("", views.home, name="home"),
    path("support/", views.support, name="support"),
    path("tickets/", views.ticket_list, name="ticket-list"),
    path("tickets/new/", views.ticket_new, name="ticket-new"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/comment/", views.ticket_comment, name="ticket-comment"),
    path("tickets/<int:pk>/update/", views.ticket_update, name="ticket-update"),
    # One POST URL per action: ticket-assign, ticket-start, ticket-wait, ticket-resolve, ticket-close, ticket-reopen.
    *(
        path(f"tickets/<int:pk>/{action}/", views.ticket_action, {"action": action}, name=f"ticket-{action}")
        for action in ACTIONS
    ),
]
