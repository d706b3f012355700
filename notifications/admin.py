from django.contrib import admin
from django.http import HttpRequest

from notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: a row changes only through the outbox (claim, send, failure)."""

    list_display = ("id", "kind", "to", "subject", "created_at", "sent_at", "attempts", "failed_permanently")
    list_filter = ("kind", "failed_permanently")
    search_fields = ("to", "subject")
    list_select_related = ("ticket",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
