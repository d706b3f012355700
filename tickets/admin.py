"""Django admin for superusers. Status changes belong to the services, so the ticket's
status and its history are read-only here; the append-only event log cannot be edited at all."""

from django.contrib import admin
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
    raw_id_fields = ("author",)
    fields = ("author", "body", "internal", "created_at")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "school", "priority", "status", "assignee", "created_at")
    list_filter = ("status", "priority", "service_mode", "school", "queue", "category")
    list_select_related = ("school", "assignee")
    search_fields = ("=id", "title", "description", "requester__username", "requester__email")
    raw_id_fields = ("requester", "assignee", "school", "visit")
    date_hierarchy = "created_at"
    # Status and its timestamps move only through the services (with events and email).
    readonly_fields = ("status", "priority", "version", "first_response_at", "resolved_at", "closed_at")
    inlines = [CommentInline]
    show_full_result_count = False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "author", "internal", "created_at")
    list_filter = ("internal",)
    list_select_related = ("ticket", "author")
    search_fields = ("body", "ticket__title")
    raw_id_fields = ("ticket", "author")


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
