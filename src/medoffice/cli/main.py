"""The ``medoffice`` console script: Django's management commands without manage.py.

``medoffice payer-sim`` is the exception: the payer simulator is Django-free and runs directly.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args[:1] == ["payer-sim"]:
        from medoffice.payer_sim.cli import run

        raise SystemExit(run(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medoffice.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["medoffice", *args])


if __name__ == "__main__":
    main()
