"""Comments and assignments are written on the record pages and the API (through the
services); the admin shows them read-only, within the staff member's investigations.
Notifications and saved searches are personal: they are not in the admin."""

from django.contrib import admin

from investigations.admin_scope import InvestigationScopedAdmin
from teamwork.models import Assignment, Comment


class ReadOnly(InvestigationScopedAdmin, admin.ModelAdmin):
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
    search_fields = ["text"]
    fields = ["investigation", "claim", "evidence", "author", "text", "created", "edited"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["user", "claim", "evidence", "assigned_by", "created"]
    list_select_related = ["user", "claim", "evidence", "assigned_by", "investigation"]
