"""The visit at the desk: check-in, the waiting room, chart prep and check-out (orchestrates)."""
