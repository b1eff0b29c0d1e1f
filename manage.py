#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    from django.core.management import execute_from_command_line

    from portal.startup import start_or_stop

    start_or_stop(lambda: execute_from_command_line(sys.argv))


if __name__ == "__main__":
    main()
