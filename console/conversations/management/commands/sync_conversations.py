from django.core.management.base import BaseCommand

from console.conversations.sync import sync


class Command(BaseCommand):
    help = "Read new events from Rasa's tracker store into the console's conversation summary."

    def handle(self, *args, **options):
        self.stdout.write(f"{sync()} new events read.")
