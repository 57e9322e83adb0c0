"""Audit tests build logins from the accounts factories."""

from medoffice.accounts.tests.factories import StaffUserFactory, grant

__all__ = ["StaffUserFactory", "grant"]
