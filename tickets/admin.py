"""Django admin for superusers. Status changes belong to the services, so the ticket's
status and its history are read-only here; the append-only event log and the conversation
cannot be edited at all (flipping a comment's `internal` would show a note to the requester,
or hide a reply, without a trace). Tickets are closed, never deleted (their events would go
with them), and every change made here is recorded in the ticket's history."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from tickets.models import Category, Comment, Queue, Ticket, TicketEvent, Vendor, VendorCase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "school")
    list_select_related = ("school",)
    search_fields = ("name", "school__name", "school__code")
    raw_id_fields = ("school",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "in_scope", "queue", "responsible_party")
    list_filter = ("in_scope",)
    list_select_related = ("queue",)
    search_fields = ("name", "slug", "responsible_party")
    prepopulated_fields = {"slug": ("name",)}


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ("author", "body", "internal", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


def _shown(value: Any) -> Any:
    """A field's value as the history stores it (JSON): model rows and dates as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Model):
        return str(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "school", "priority", "status", "assignee", "created_at")
    list_filter = ("status", "priority", "service_mode", "school", "queue", "category")
    list_select_related = ("school", "assignee")
    search_fields = ("=id", "title", "description", "requester__username", "requester__email")
    raw_id_fields = ("requester", "assignee", "school", "visit")
    date_hierarchy = "created_at"
    # Status and its timestamps move only through the services (with events and email); so do
    # followers and merging (the ticket page, tickets.followers and tickets.merge).
    readonly_fields = (
        "status",
        "priority",
        "version",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "followers",
        "merged_into",
    )
    inlines = [CommentInline]
    show_full_result_count = False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False  # close it instead: deleting would take its append-only history with it

    def save_model(self, request: HttpRequest, obj: Ticket, form: ModelForm, change: bool) -> None:
        """Save, and record what changed as an "updated" event by this admin (same transaction)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        before = Ticket.objects.get(pk=obj.pk)
        changes = {
            name: [_shown(getattr(before, name)), _shown(getattr(obj, name))]
            for name in form.changed_data
            if _shown(getattr(before, name)) != _shown(getattr(obj, name))
        }
        if changes:
            obj.version += 1  # a page opened before this edit is now stale
        super().save_model(request, obj, form, change)
        if changes:
            TicketEvent.objects.create(
                ticket=obj,
                actor=request.user if request.user.is_authenticated else None,
                kind=TicketEvent.Kind.UPDATED,
                data={"changes": changes, "via": "admin"},
            )


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "ticket", "author", "internal", "created_at")
    list_filter = ("internal",)
    list_select_related = ("ticket", "author")
    search_fields = ("body", "ticket__title")


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "ticket", "kind", "actor", "created_at")
    list_filter = ("kind",)
    list_select_related = ("ticket", "actor")
    search_fields = ("ticket__title",)


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "contract_reference", "turnaround_days"]
    search_fields = ["name"]


@admin.register(VendorCase)
class VendorCaseAdmin(admin.ModelAdmin):
    list_display = ["ticket", "vendor", "case_number", "sent_at", "returned_at"]
    list_filter = ["vendor"]
    raw_id_fields = ["ticket", "created_by"]
    list_select_related = ["ticket", "vendor"]
