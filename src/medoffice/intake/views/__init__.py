"""Intake pages: staff (patient forms, review, builder) and patient-facing (kiosk, link)."""
