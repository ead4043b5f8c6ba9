from django.contrib import admin

from console.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit log nobody can edit or prune by hand (retention prunes it, see retention.py)."""
    list_display = ("at", "username", "action", "object_kind", "object_id", "detail", "ip_address")
    list_filter = ("action", "object_kind")
    search_fields = ("username", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
