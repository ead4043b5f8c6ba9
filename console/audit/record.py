"""The one place views write the audit log from."""
from console.audit.models import Action, AuditEntry, ObjectKind

__all__ = ["Action", "ObjectKind", "record"]


def record(request, action: Action, kind: ObjectKind, object_id, detail: str = "") -> AuditEntry:
    """Note that the staff member behind `request` did `action` to one object (a view calls this
    inside the transaction of its change, so the change and its record commit together)."""
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        user=user, username=user.get_username() if user else "", action=action, object_kind=kind,
        object_id=str(object_id), detail=detail[:300],
        # REMOTE_ADDR, as axes reads it: forwarded-for headers are the client's to forge
        ip_address=request.META.get("REMOTE_ADDR") or None)
