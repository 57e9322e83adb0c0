"""``medoffice payer-sim``: serve the payer simulator in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from medoffice.payer_sim.config import ConfigError, default_config_path, load_config
from medoffice.payer_sim.server import TlsFiles, make_server, server_url


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="medoffice payer-sim",
        description="A payer answering 270s and 278s over the CAQH CORE envelope, for demos and "
        "tests. Synthetic data only.",
    )
    parse.add_argument("--host", default="127.0.0.1")
    parse.add_argument("--port", type=int, default=8787)
    parse.add_argument("--config", default=str(default_config_path()), help="plans JSON")
    parse.add_argument("--username", default=os.environ.get("MEDOFFICE_PAYER_SIM_USER", "demo"))
    parse.add_argument(
        "--password", default=os.environ.get("MEDOFFICE_PAYER_SIM_PASSWORD", "demo-password")
    )
    parse.add_argument("--tls-cert", default="", help="PEM certificate (serves HTTPS)")
    parse.add_argument("--tls-key", default="", help="PEM private key for --tls-cert")
    return parse


def run(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    if bool(args.tls_cert) != bool(args.tls_key):
        print("payer-sim: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    try:
        config = load_config(args.config).with_credentials(args.username, args.password)
    except ConfigError as error:
        print(f"payer-sim: {error}", file=sys.stderr)
        return 2
    tls = TlsFiles(args.tls_cert, args.tls_key) if args.tls_cert else None
    try:
        server = make_server(config, args.host, args.port, tls)
    except OSError as error:
        print(f"payer-sim: cannot listen on {args.host}:{args.port} ({error})", file=sys.stderr)
        return 1
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        if not stopped.is_set():
            stopped.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    payers = ", ".join(f"{p.payer_id} {p.name}" for p in config.payers)
    print(f"payer simulator: {server_url(server, args.host)} (user {config.username})", flush=True)
    print(f"payer simulator: payers {payers}. Ctrl-C stops.", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
    return 0
