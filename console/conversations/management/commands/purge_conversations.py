from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from console.audit.retention import purge_entries_older_than
from console.conversations.deletion import purge_older_than


class Command(BaseCommand):
    help = ("Delete conversations (tracker events, booking/callback requests, notes, corrections) whose last "
            "message is older than the retention period (CONSOLE_RETENTION_DAYS, default 365 days), and audit-log "
            "entries older than CONSOLE_AUDIT_RETENTION_DAYS (default 2190 days, six years).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override CONSOLE_RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        days = settings.CONSOLE_RETENTION_DAYS if days is None else days
        try:
            deleted = purge_older_than(days)
            # The audit log has its own, longer period: it is HIPAA documentation (kept six years,
            # 45 CFR §164.316(b)(2)) and must outlive the conversations it records, deletions included.
            audit_days = settings.CONSOLE_AUDIT_RETENTION_DAYS
            audit_entries = purge_entries_older_than(audit_days)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Retention {days} days: deleted {deleted.conversations} conversations, "
                          f"{deleted.events} events, {deleted.requests} requests.")
        self.stdout.write(f"Audit retention {audit_days} days: deleted {audit_entries} audit entries.")
