#!/usr/bin/env python
"""Django's command line for the staff console: `python console/manage.py <command>`.

Run from the repository root (the Makefile does) so `console` and `actions` import.
"""
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
