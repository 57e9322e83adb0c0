"""Card terminals behind one interface (see ``base``); importing registers the built-in kinds."""

from medoffice.integrations.card_terminals.base import (
    CardResult,
    CardTerminal,
    CardTerminalError,
    Settlement,
    connect,
    register,
)

__all__ = ["CardResult", "CardTerminal", "CardTerminalError", "Settlement", "connect", "register"]
