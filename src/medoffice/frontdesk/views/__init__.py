"""Desk pages; each module lists its own routes, all under the "frontdesk" namespace."""
