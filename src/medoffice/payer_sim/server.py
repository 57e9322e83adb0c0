"""The payer simulator's HTTP(S) server: CAQH CORE HTTP MIME multipart on POST, on loopback.

``start_simulator(config)`` runs it on a background thread (port 0 picks a free port) and returns
a ``RunningSimulator`` with its ``url`` and ``stop()``; ``medoffice payer-sim`` serves it in the
foreground. GET answers a one-line health check.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from medoffice.integrations.clearinghouses.core_envelope import (
    CoreRequest,
    CoreResponse,
    EnvelopeError,
    ErrorCode,
    decode_request,
    encode_response,
    new_payload_id,
    now_utc,
)
from medoffice.payer_sim.config import SimulatorConfig
from medoffice.payer_sim.responder import Outcome, Refusal, Responder

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 20 * 1024 * 1024
HANDLER_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class TlsFiles:
    cert_file: str
    key_file: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        responder: Responder,
        tls: ssl.SSLContext | None,
    ) -> None:
        self.responder = responder
        self.tls = tls
        self.stopping = threading.Event()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[Any, Any]:
        connection, address = super().get_request()
        if self.tls is not None:
            # The handshake runs on the connection's own thread (see _Handler.setup).
            connection = self.tls.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            )
        return connection, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.info("payer simulator: a connection from %s failed", client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "medoffice-payer-sim/1.0"
    timeout = HANDLER_TIMEOUT_SECONDS

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("payer simulator: " + format, *args)

    def do_GET(self) -> None:
        self._send(
            HTTPStatus.OK, b"medoffice payer simulator (CAQH CORE HTTP MIME)\n", "text/plain"
        )

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Content-Length required\n")
            return
        body = self.rfile.read(int(length))
        try:
            request = decode_request(body, self.headers.get("Content-Type", ""))
        except EnvelopeError as error:
            self._envelope_error(HTTPStatus.BAD_REQUEST, error.code, error.message, None)
            return
        if not self._authorized(request):
            self._envelope_error(
                HTTPStatus.UNAUTHORIZED,
                ErrorCode.UNAUTHORIZED,
                "The user name or password is not valid.",
                request,
            )
            return
        try:
            outcome = self.server.responder.respond(request)
        except Refusal as refusal:
            self._envelope_error(refusal.http_status, refusal.code, refusal.message, request)
            return
        except Exception:
            logger.exception("payer simulator: the answer could not be made")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"internal error\n")
            return
        self._deliver(outcome)

    def _authorized(self, request: CoreRequest) -> bool:
        config = self.server.responder.config
        user_ok = hmac.compare_digest(request.username.encode(), config.username.encode())
        password_ok = hmac.compare_digest(request.password.encode(), config.password.encode())
        return user_ok and password_ok

    def _deliver(self, outcome: Outcome) -> None:
        fault = outcome.fault
        if fault.delay_ms and self.server.stopping.wait(fault.delay_ms / 1000):
            return
        if fault.close_connection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.http_status:
            self._send(fault.http_status, f"simulated HTTP {fault.http_status}\n".encode())
            return
        body, content_type = encode_response(outcome.response)
        self._send(HTTPStatus.OK, body, content_type)

    def _envelope_error(
        self, status: int, code: str, message: str, request: CoreRequest | None
    ) -> None:
        response = CoreResponse(
            processing_mode=request.processing_mode if request else "RealTime",
            payload_type=request.payload_type if request else "CoreEnvelopeError",
            payload_id=request.payload_id if request else new_payload_id(),
            timestamp=now_utc(),
            sender_id=request.receiver_id if request else "PAYERSIM",
            receiver_id=request.sender_id if request else "UNKNOWN",
            error_code=code,
            error_message=message,
        )
        body, content_type = encode_response(response)
        self._send(status, body, content_type)

    def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            logger.info("payer simulator: the client left before the answer was sent")
        self.close_connection = True


def _tls_context(tls: TlsFiles) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(tls.cert_file, tls.key_file)
    return context


@dataclass
class RunningSimulator:
    url: str
    host: str
    port: int
    config: SimulatorConfig
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def make_server(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0, tls: TlsFiles | None = None
) -> _Server:
    return _Server((host, port), Responder(config), _tls_context(tls) if tls else None)


def server_url(server: _Server, host: str) -> str:
    scheme = "https" if server.tls is not None else "http"
    port = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}/core"


def start_simulator(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0, tls: TlsFiles | None = None
) -> RunningSimulator:
    """Serve ``config`` on a background thread until ``stop()``."""
    server = make_server(config, host, port, tls)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return RunningSimulator(
        url=server_url(server, host),
        host=host,
        port=int(server.server_address[1]),
        config=config,
        _server=server,
        _thread=thread,
    )
