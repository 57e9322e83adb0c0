"""Intake forms: the form builder, the standard forms, kiosk and link filling, e-signatures."""
