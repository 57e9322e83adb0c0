"""Pure rules of the front desk (no database): follow-up dates, waits, business days."""
