from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from console.conversations.deletion import purge_older_than


class Command(BaseCommand):
    help = ("Delete conversations (tracker events, booking/callback requests, notes, corrections) whose last "
            "message is older than the retention period (CONSOLE_RETENTION_DAYS, default 365 days).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override CONSOLE_RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        days = settings.CONSOLE_RETENTION_DAYS if days is None else days
        try:
            deleted = purge_older_than(days)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Retention {days} days: deleted {deleted.conversations} conversations, "
                          f"{deleted.events} events, {deleted.requests} requests.")
