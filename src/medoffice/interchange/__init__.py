"""Interchange formats: plain data in, standard text out (and back), with no Django imports.

Each format is a sub-package (``icalendar/``, later ``x12/``, ``hl7v2/``) held to mypy's strict
mode and tested against an independent parser of the same standard.
"""
