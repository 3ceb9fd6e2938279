#!/usr/bin/env python
import os
import sys

# Commands that only read the code to write or check files of the repository (migrations, the OpenAPI
# schema) never serve, sign or seed anything, so they need no production secret: they run as on a
# developer's machine. Everything else is production unless DEBUG=1 (linli/settings.py).
CODE_ONLY_COMMANDS = {"makemigrations", "spectacular", "check_migrations"}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
