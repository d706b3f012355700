"""Every HTML page of the tickets app; included once at the root by helpdesk/urls.py."""

from django.urls import include, path

from tickets.views import (
    actions,
    attachments,
    categories,
    collaboration,
    email,
    family,
    kb,
    pages,
    queue,
    sla,
    today,
    vendors,
)

kb_patterns = [
    path("kb/", kb.index, name="index"),
    path("kb/new/", kb.new, name="new"),
    path("kb/stats/", kb.stats, name="stats"),
    path("kb/suggest/", kb.suggest, name="suggest"),
    path("kb/from-ticket/<int:ticket_id>/", kb.from_ticket, name="from_ticket"),
    path("kb/<int:pk>/", kb.detail, name="detail"),
    path("kb/<int:pk>/edit/", kb.edit, name="edit"),
    path("kb/<int:pk>/vote/", kb.vote, name="vote"),
    path("kb/<int:pk>/solved/", kb.solved, name="solved"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("support/", pages.support, name="support"),
    path("categories/", categories.category_list, name="category_list"),
    path("categories/<int:pk>/", categories.category_edit, name="category_edit"),
    path("help/device/", family.report, name="family-report"),
    path("help/device/sent/", family.report_sent, name="family-report-sent"),
    path("help/device/<str:token>/", family.follow, name="family-report-follow"),
    path("tickets/", pages.ticket_list, name="ticket-list"),
    path("tickets/export.csv", pages.ticket_export, name="ticket-export"),
    path("tickets/bulk/", queue.bulk_action, name="ticket-bulk"),
    path("tickets/views/", queue.save_view, name="ticket-view-save"),
    path("tickets/views/<int:pk>/delete/", queue.delete_view, name="ticket-view-delete"),
    path("tickets/views/<int:pk>/rename/", queue.rename_view, name="ticket-view-rename"),
    path("tickets/new/", pages.ticket_new, name="ticket-new"),
    path("tickets/<int:pk>/", pages.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/comment/", actions.ticket_comment, name="ticket-comment"),
    path("tickets/<int:pk>/update/", actions.ticket_update, name="ticket-update"),
    # One POST URL per action: ticket-assign, ticket-start, ticket-wait, ticket-resolve, ticket-close, ticket-reopen.
    *(
        path(f"tickets/<int:pk>/{action}/", actions.ticket_action, {"action": action}, name=f"ticket-{action}")
        for action in actions.ACTIONS
    ),
    path("tickets/<int:pk>/followers/", collaboration.follower_add, name="ticket-follower-add"),
    path(
        "tickets/<int:pk>/followers/<int:user_pk>/remove/",
        collaboration.follower_remove,
        name="ticket-follower-remove",
    ),
    path("tickets/<int:pk>/merge/", collaboration.ticket_merge, name="ticket-merge"),
    path("tickets/<int:pk>/presence/", collaboration.ticket_presence, name="ticket-presence"),
    path("tickets/<int:pk>/attachments/", attachments.attachment_upload, name="ticket-attachment-upload"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        name="ticket-attachment",
    ),
    path("tickets/<int:pk>/escalate/", vendors.escalate, name="ticket-escalate"),
    path("vendor-cases/<int:pk>/returned/", vendors.case_returned, name="vendor-case-returned"),
    path("vendors/", vendors.vendor_list, name="vendors"),
    path("email/needs-a-look/", email.needs_look, name="email-needs-look"),
    path("email/needs-a-look/<int:pk>/retry/", email.needs_look_retry, name="email-needs-look-retry"),
    path("email/needs-a-look/<int:pk>/dismiss/", email.needs_look_dismiss, name="email-needs-look-dismiss"),
    path("calendar/targets/", sla.sla_targets, name="sla_targets"),
    path("today/", today.today, name="today"),
    path("today/tickets/<int:pk>/start/", today.start, name="today_start"),
    path("today/tickets/<int:pk>/resolve/", today.resolve, name="today_resolve"),
    path("today/visits/<int:pk>/check-in/", today.check_in, name="visit_check_in"),
    path("today/visits/<int:pk>/complete/", today.complete, name="visit_complete"),
    # The knowledge base keeps its `kb:` URL names.
    path("", include((kb_patterns, "kb"))),
]
