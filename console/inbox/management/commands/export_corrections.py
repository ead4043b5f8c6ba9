from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from console.conversations.sync import sync
from console.inbox.export import export


class Command(BaseCommand):
    help = ("Write the messages staff labelled in the inbox into a Rasa NLU file "
            "(default data/nlu_corrections.yml), de-duplicated against the training data.")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None,
                            help=f"default: {settings.CONSOLE_CORRECTIONS_FILE}")

    def handle(self, *args, output=None, **options):
        sync()
        output = output or settings.CONSOLE_CORRECTIONS_FILE
        result = export(output)
        self.stdout.write(f"Wrote {output}\n{result.summary()}")
        if result.added:
            self.stdout.write("Retrain with `make train`, then check the scores with `make evaluate`.")
