#!/usr/bin/env python
"""Django's command-line utility for Corroborate."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corroborate.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        if settings.configured:  # not a setting from the environment: a fault to trace
            raise
        sys.exit(f"manage.py: {error}")


if __name__ == "__main__":
    main()
