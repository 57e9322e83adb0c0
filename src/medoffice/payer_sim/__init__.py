"""A payer simulator: answers 270s with 271s and 278s from configured plans, over CAQH CORE.

Django-free. ``start_simulator(load_config())`` serves the shipped demo plans on a loopback port;
the real clearinghouse client (``integrations.clearinghouses.core_http``) talks to it unchanged.
"""

from medoffice.payer_sim.config import (
    AuthorizationRules,
    ConfigError,
    Fault,
    Member,
    OtherCoverage,
    Payer,
    Plan,
    Provider,
    SimulatorConfig,
    Split,
    config_from_dict,
    default_config_path,
    load_config,
)
from medoffice.payer_sim.server import RunningSimulator, TlsFiles, start_simulator

__all__ = [
    "AuthorizationRules",
    "ConfigError",
    "Fault",
    "Member",
    "OtherCoverage",
    "Payer",
    "Plan",
    "Provider",
    "RunningSimulator",
    "SimulatorConfig",
    "Split",
    "TlsFiles",
    "config_from_dict",
    "default_config_path",
    "load_config",
    "start_simulator",
]
