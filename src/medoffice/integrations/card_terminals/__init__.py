"""Card terminals behind one interface (see ``base``); importing registers the built-in kinds:
"simulated" (the demo's and the tests' processor) and "manual" (a standalone terminal)."""

from medoffice.integrations.card_terminals.base import (
    CardResult,
    CardTerminal,
    CardTerminalError,
    Settlement,
    connect,
    register,
)
from medoffice.integrations.card_terminals.manual import ManualTerminal
from medoffice.integrations.card_terminals.simulated import SimulatedTerminal

register("simulated", SimulatedTerminal)
register("manual", ManualTerminal)

__all__ = [
    "CardResult",
    "CardTerminal",
    "CardTerminalError",
    "ManualTerminal",
    "Settlement",
    "SimulatedTerminal",
    "connect",
    "register",
]
