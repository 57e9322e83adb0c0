"""Vendors behind one interface each: clearinghouses (eligibility, prior authorization), ...

Django-free: the Django contexts turn their rows into settings dataclasses and call these.
"""
