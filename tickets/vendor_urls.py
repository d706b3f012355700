"""Director and staff pages around tickets: vendor escalation and SLA targets."""

from django.urls import path

from tickets import sla_views, vendor_views

urlpatterns = [
    path("tickets/<int:pk>/escalate/", vendor_views.escalate, name="ticket-escalate"),
    path("vendor-cases/<int:pk>/returned/", vendor_views.case_returned, name="vendor-case-returned"),
    path("vendors/", vendor_views.vendor_list, name="vendors"),
    path("calendar/targets/", sla_views.sla_targets, name="sla_targets"),
]
