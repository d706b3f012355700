from django.contrib import admin
from django.http import HttpRequest

from notifications.models import EmailPreference, InboundEmail, OutboundEmail


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


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What the mailbox reader did with each message; filter "Needs a look" for the ones a
    person must handle (the message itself waits in the mailbox's "needs a look" folder)."""

    list_display = ("received_at", "outcome", "sender", "subject", "ticket", "reason")
    list_filter = ("outcome",)
    search_fields = ("sender", "subject", "message_id")
    list_select_related = ("ticket",)
    readonly_fields = ("message_id", "sender", "subject", "outcome", "reason", "ticket", "received_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "muted")
    raw_id_fields = ("user",)
