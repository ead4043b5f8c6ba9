from __future__ import annotations

import datetime as dt

from django.utils import timezone

from console.audit.models import AuditEntry


def purge_entries_older_than(days: int, now: dt.datetime | None = None) -> int:
    """Delete audit entries older than `days` days; returns how many went."""
    if days < 1:
        raise ValueError("the audit retention period must be at least one day")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
