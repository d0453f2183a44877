#!/usr/bin/env python
"""Django's command-line utility for Student Records."""

import os
import sys


def main():
    # Tests always run with the test settings, whatever the environment says.
    if len(sys.argv) > 1 and sys.argv[1] == "test":
        os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings.test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
