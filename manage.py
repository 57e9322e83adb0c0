#!/usr/bin/env python
"""Convenience entry point; the ``medoffice`` console script does the same."""

from medoffice.cli.main import main

if __name__ == "__main__":
    main()
