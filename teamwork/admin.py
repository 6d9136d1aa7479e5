"""Comments and the rest are written on the record pages and the API (through the
services); the admin shows them, read-only, for staff."""

from django.contrib import admin

from teamwork.models import Assignment, Comment, Notification, SavedSearch


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["created", "author", "claim", "evidence", "investigation"]
    list_select_related = ["author", "claim", "evidence", "investigation"]
    list_filter = ["investigation"]
    search_fields = ["text"]
    fields = ["investigation", "claim", "evidence", "author", "text", "created", "edited"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["user", "claim", "evidence", "assigned_by", "created"]
    list_select_related = ["user", "claim", "evidence", "assigned_by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["updated", "recipient", "kind", "count", "read_at", "mail"]
    list_select_related = ["recipient"]
    list_filter = ["kind", "mail"]


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnly):
    list_display = ["name", "owner", "target", "alert"]
    list_select_related = ["owner"]
